"""The two editorial groups. Editors create and edit entries and submit them for review;
Reviewers have the same rights and may also publish, send back and archive. Nobody but a superuser
deletes content: entries are archived instead. Links and memberships may be deleted, since
removing a participant from a case study is an edit of it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = [
    "cooperation.actor",
    "cooperation.mechanism",
    "cooperation.challenge",
    "casestudies.casestudy",
]
REFERENCE = ["cooperation.source", "cooperation.region", "cooperation.era"]
LINKS = [
    "cooperation.membership",
    "casestudies.participation",
    "casestudies.mechanismuse",
    "casestudies.challengeencounter",
]


def editor_codenames():
    for label in CONTENT + REFERENCE + LINKS:
        app_label, model = label.split(".")
        for action in ("view", "add", "change"):
            yield app_label, f"{action}_{model}"
        if label in LINKS:
            yield app_label, f"delete_{model}"


def reviewer_codenames():
    yield from editor_codenames()
    for label in CONTENT:
        app_label, model = label.split(".")
        yield app_label, f"review_{model}"


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", editor_codenames()), ("Reviewers", reviewer_codenames())]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in codenames
            ]
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0004_workflow_and_history"),
        ("cooperation", "0003_workflow_and_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
