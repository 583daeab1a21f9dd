"""The editorial groups and what each may do. Editors create and edit entries and submit them
for review; Reviewers may also publish, send back and archive. The atlas's vocabulary (regions
and eras: every filter and page is built on them, and they have no drafts) changes only with a
reviewer's rights. Nobody but a superuser deletes content or reference data (entries are
archived instead); links and memberships may be deleted, since removing a participant from a
case study is an edit of it.

The groups are kept in step with the atlas's models after every `migrate` (a post_migrate
handler, connected in cooperation.signal_handlers), so a new kind of record gets its rights
without a migration in another app: each group gets at least the rights below, and keeps any an
administrator added."""

from django.apps import apps as installed_apps
from django.contrib.auth.models import Group, Permission

from cooperation.models import PublishableModel, ReferenceQuerySet, TimeStampedModel

EDITORS = "Editors"
REVIEWERS = "Reviewers"
# The editorial roles (cooperation.editorial.workflow) and the groups that grant them.
ROLE_GROUPS = {"editor": EDITORS, "reviewer": REVIEWERS}


# Reference data that goes public the moment it is saved, so only reviewers change it.
VOCABULARY = {"cooperation.region", "cooperation.era"}

# Releases (cooperation.releases): everyone on staff sees them; reviewers cut them. Nobody
# changes or deletes one.
RELEASE_RIGHTS = {
    EDITORS: {("cooperation", "view_release")},
    REVIEWERS: {("cooperation", "view_release"), ("cooperation", "add_release")},
}


def kind_of_record(model):
    """'content' (has drafts), 'vocabulary' (regions, eras), 'reference' (sources) or 'link'
    (memberships and the claims that link a case study to the core domain)."""
    if issubclass(model, PublishableModel):
        return "content"
    if model._meta.label_lower in VOCABULARY:
        return "vocabulary"
    if issubclass(model._default_manager._queryset_class, ReferenceQuerySet):
        return "reference"
    return "link"


def actions(kind, group):
    if kind == "vocabulary" and group == EDITORS:
        return {"view"}
    granted = {"view", "add", "change"}
    if kind == "link":
        granted.add("delete")
    if kind == "content" and group == REVIEWERS:
        granted.add("review")
    return granted


def atlas_models(app_registry=installed_apps):
    return [
        model
        for model in app_registry.get_models()
        if issubclass(model, TimeStampedModel) and not model._meta.abstract
    ]


def rights(group):
    """The (app label, codename) of every permission `group` is given."""
    return {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in atlas_models()
        for action in actions(kind_of_record(model), group)
    } | RELEASE_RIGHTS[group]


def withheld(group):
    """The (app label, codename) of every permission `group` must not have, even if an
    administrator once gave it: editors' changes to the vocabulary."""
    if group != EDITORS:
        return set()
    return {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in atlas_models()
        if kind_of_record(model) == "vocabulary"
        for action in ("add", "change", "delete")
    }


def sync_editorial_groups(**kwargs):
    """Create the groups if missing and give them their rights (post_migrate: every app's
    permissions exist by then)."""
    permissions = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.select_related("content_type")
    }
    for name in (EDITORS, REVIEWERS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(permissions[key] for key in rights(name) if key in permissions))
        group.permissions.remove(
            *(permissions[key] for key in withheld(name) if key in permissions)
        )
