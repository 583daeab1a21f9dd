"""Topics join the editorial workflow and search: Editors may view, add and change them,
Reviewers may also review them (as for the other content, see casestudies 0005), and on
PostgreSQL a stored, GIN-indexed search vector weighted like the model's `search_weights`."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cooperation.search import add_search_vector_columns, drop_search_vector_columns

VECTORS = {
    "cooperation_topic": (
        "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    ),
}
EDITOR_CODENAMES = ["view_topic", "add_topic", "change_topic"]
REVIEWER_CODENAMES = [*EDITOR_CODENAMES, "review_topic"]


def add_vectors(apps, schema_editor):
    add_search_vector_columns(schema_editor, VECTORS)


def drop_vectors(apps, schema_editor):
    drop_search_vector_columns(schema_editor, VECTORS)


def grant_topic_rights(apps, schema_editor):
    app_config = apps.get_app_config("cooperation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", EDITOR_CODENAMES), ("Reviewers", REVIEWER_CODENAMES)]:
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="cooperation", codename__in=codenames
                )
            )


def revoke_topic_rights(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="cooperation", codename__in=REVIEWER_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0006_topic"),
        ("casestudies", "0005_editor_and_reviewer_groups"),
    ]

    operations = [
        migrations.RunPython(add_vectors, drop_vectors),
        migrations.RunPython(grant_topic_rights, revoke_topic_rights),
    ]
