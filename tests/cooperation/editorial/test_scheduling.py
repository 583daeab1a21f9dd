"""Scheduled publishing and expiry: a reviewer sets when an entry (or its changes) goes live or
is archived; `publish_scheduled` takes each step once it is due, under the reviewer's rights,
and running it again changes nothing. Times are entered in the site's time zone."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cooperation.editorial.revisions import save_as_revision
from cooperation.editorial.scheduling import run_due, schedule
from cooperation.editorial.workflow import MissingComment, WorkflowError
from cooperation.models import Actor, Schedule, Status, Withdrawal
from tests.factories import ActorFactory
from tests.support.admin_urls import change_url

pytestmark = pytest.mark.django_db

SOON = datetime.timedelta(minutes=5)


def due_now(scheduled):
    """Move a scheduled step into the past, as the clock would."""
    Schedule.objects.filter(pk=scheduled.pk).update(at=timezone.now() - SOON)


def publish_later(rita, entry):
    return schedule(entry, Schedule.Step.PUBLISH, timezone.now() + SOON, user=rita)


def test_a_scheduled_publication_waits_then_happens_once(rita):
    actor = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    scheduled = publish_later(rita, actor)
    assert run_due() == []
    assert Actor.objects.get(pk=actor.pk).status == Status.IN_REVIEW
    due_now(scheduled)
    [(_, outcome)] = run_due()
    assert outcome == "Done: it is published."
    assert Actor.objects.get(pk=actor.pk).is_published
    history = Actor.objects.get(pk=actor.pk).history.first()
    assert (history.history_user, history.history_change_reason) == (rita, "Publish")
    assert run_due() == []  # idempotent
    scheduled.refresh_from_db()
    assert scheduled.done_at is not None and scheduled.outcome == outcome


def test_expiry_archives_a_published_entry_with_its_reason(rita):
    actor = ActorFactory(name="Gulf Commission")
    with pytest.raises(MissingComment, match="why the entry is to be withdrawn"):
        schedule(actor, Schedule.Step.ARCHIVE, timezone.now() + SOON, user=rita)
    scheduled = schedule(
        actor, Schedule.Step.ARCHIVE, timezone.now() + SOON, user=rita, reason="It was dissolved."
    )
    due_now(scheduled)
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "Done: it is archived." in out.getvalue()
    assert Actor.objects.get(pk=actor.pk).status == Status.ARCHIVED
    assert Withdrawal.objects.get(object_id=actor.pk).reason == "It was dissolved."


def test_scheduled_changes_go_live_when_due(eddie, rita):
    actor = ActorFactory(name="Gulf Commission", summary="Live.")

    def edit():
        live = Actor.objects.get(pk=actor.pk)
        live.summary = "Changed."
        live.save()
        return True

    save_as_revision(actor, user=eddie, change=edit)
    scheduled = schedule(actor, Schedule.Step.PUBLISH_CHANGES, timezone.now() + SOON, user=rita)
    due_now(scheduled)
    [(_, outcome)] = run_due()
    assert outcome == "Done: the changes are published."
    assert Actor.objects.get(pk=actor.pk).summary == "Changed."


def test_a_step_that_fails_when_due_is_recorded_not_retried(rita):
    actor = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    scheduled = publish_later(rita, actor)
    rita.groups.clear()  # lost the review right meanwhile
    due_now(scheduled)
    [(_, outcome)] = run_due()
    assert outcome.startswith("Not done: Only reviewers may publish")
    assert Actor.objects.get(pk=actor.pk).status == Status.IN_REVIEW
    assert run_due() == []


def test_only_reviewers_schedule_and_only_the_future(eddie, rita):
    actor = ActorFactory(status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        publish_later(eddie, actor)
    with pytest.raises(WorkflowError, match="in the future"):
        schedule(actor, Schedule.Step.PUBLISH, timezone.now() - SOON, user=rita)
    publish_later(rita, actor)
    with pytest.raises(WorkflowError, match="already"):
        publish_later(rita, actor)


def test_the_admin_schedules_in_the_sites_time_zone(client, rita, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    actor = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    client.force_login(rita)
    form = client.get(change_url(actor)).content.decode()
    assert "Publish at (Europe/Brussels)" in form
    url = reverse("admin:cooperation_actor_schedule", args=[actor.pk, "publish"])
    client.post(url, {"at": "2099-01-05T09:00"})
    [scheduled] = Schedule.objects.of(actor).waiting()
    assert scheduled.at == datetime.datetime(2099, 1, 5, 8, 0, tzinfo=datetime.UTC)
    page = client.get(change_url(actor)).content.decode()
    assert "Scheduled: <strong>Publish</strong> at 05 Jan 2099 09:00 (Europe/Brussels)" in page
    index = client.get(reverse("admin:index")).content.decode()
    assert "Scheduled (1)" in index and "Publish: the actor “Gulf Commission”" in index
    cancel = reverse("admin:cooperation_actor_cancel_schedule", args=[actor.pk, scheduled.pk])
    client.post(cancel)
    assert not Schedule.objects.of(actor).waiting().exists()
