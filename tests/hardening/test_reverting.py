"""Reverting in the admin is an edit, not a way around the workflow."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cooperation.editorial.history import recording
from cooperation.models import (
    Actor,
    EntryVersion,
    Status,
)
from tests.factories import (
    ActorFactory,
)
from tests.support.world import (
    staff_member,
)

pytestmark = pytest.mark.django_db


def versions(entry):
    return EntryVersion.objects.of(entry).order_by("number")


def test_reverting_to_a_published_version_does_not_publish(client, empty_database):
    """An editor, who may not publish, reverts an archived actor to the version it had when it
    was published: its text comes back, its status and slug stay as they are."""
    from cooperation.editorial.workflow import transition

    reviewer = staff_member("rita", "Reviewers")
    actor = ActorFactory(status=Status.IN_REVIEW, slug="nato", summary="As published.")
    transition(actor, "publish", user=reviewer)
    actor = Actor.objects.get(pk=actor.pk)
    with recording(user=reviewer):
        actor.summary = "Edited later."
        actor.slug = "renamed"
        actor.save()
    transition(actor, "archive", user=reviewer, comment="Superseded.")
    published = versions(actor).get(status=Status.PUBLISHED, actions="Published.")

    client.force_login(staff_member("eddie", "Editors"))
    path = reverse("admin:cooperation_actor_simple_history", args=[actor.pk, published.number])
    expected = client.get(path).context["form"].initial["expected_version"]
    response = client.post(path, {"expected_version": expected})
    assert response.status_code == 302
    actor = Actor.objects.get(pk=actor.pk)
    assert (actor.summary, actor.status, actor.slug) == (
        "As published.",
        Status.ARCHIVED,
        "renamed",
    )


def test_whoever_may_only_view_cannot_revert(client, empty_database, django_user_model):
    actor = ActorFactory(status=Status.DRAFT, summary="First.")
    with recording(user=None):
        actor.summary = "Second."
        actor.save()
    first = versions(actor).first()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_actor"))
    client.force_login(viewer)
    path = reverse("admin:cooperation_actor_simple_history", args=[actor.pk, first.number])
    assert client.get(path).status_code == 200
    assert client.post(path, {"expected_version": actor.version}).status_code == 403
    assert Actor.objects.get(pk=actor.pk).summary == "Second."
