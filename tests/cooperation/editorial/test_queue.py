"""The admin index tells reviewers what waits for their review and editors what was sent back to
them, with who, when and the comment."""

import pytest
from django.urls import reverse

from cooperation.editorial.review import take_change_step
from cooperation.editorial.revisions import save_as_revision
from cooperation.editorial.workflow import transition
from cooperation.models import Status
from tests.factories import ActorFactory, MechanismFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def saved_by(user, entry, **fields):
    entry._history_user = user
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry


def change_of_summary(entry, user, summary):
    def change():
        saved_by(user, type(entry).objects.get(pk=entry.pk), summary=summary)
        return True

    return save_as_revision(entry, user=user, change=change)[0]


def queue_section(response):
    page = response.content.decode()
    return page[page.index('id="review-queue"') : page.index('id="atlas-tools"')]


def test_reviewers_see_what_waits_for_them(client, eddie, rita):
    draft = saved_by(eddie, ActorFactory(name="Gulf Commission", status=Status.DRAFT))
    transition(draft, "submit", user=eddie)
    change_of_summary(MechanismFactory(name="Joint patrols"), eddie, "Edited.")
    client.force_login(rita)
    section = queue_section(client.get(INDEX))
    assert "Waiting for your review (2)" in section
    assert "The actor “Gulf Commission”</a>, eddie" in section
    assert "Changes to the mechanism “Joint patrols”</a>, eddie" in section
    assert "Nothing was sent back to you." in section


def test_editors_see_what_was_sent_back_to_them(client, eddie, rita):
    draft = saved_by(eddie, ActorFactory(name="Gulf Commission", status=Status.DRAFT))
    transition(draft, "submit", user=eddie)
    transition(draft, "send_back", user=rita, comment="Add the founding date.")
    revision = change_of_summary(MechanismFactory(name="Joint patrols"), eddie, "Edited.")
    take_change_step(revision, "send_back_changes", user=rita, comment="Cite a source.")
    someone_elses = saved_by(rita, ActorFactory(name="Other", status=Status.IN_REVIEW))
    transition(someone_elses, "send_back", user=rita, comment="Not for eddie.")
    client.force_login(eddie)
    section = queue_section(client.get(INDEX))
    assert "Waiting for your review (0)" in section  # editors review nothing
    assert "Sent back to you (2)" in section
    assert "The actor “Gulf Commission”</a>, rita" in section
    assert "<q>Add the founding date.</q>" in section
    assert "Changes to the mechanism “Joint patrols”</a>, rita" in section
    assert "<q>Cite a source.</q>" in section
    assert "Not for eddie." not in section


def test_the_index_runs_a_fixed_number_of_queries(
    client, eddie, rita, django_assert_max_num_queries
):
    def queue_of(size):
        for number in range(size):
            entry = saved_by(
                eddie, ActorFactory(status=Status.DRAFT, name=f"Draft {size}-{number}")
            )
            transition(entry, "submit", user=eddie)
            change_of_summary(MechanismFactory(), eddie, "Edited.")

    client.force_login(rita)
    queue_of(1)
    with django_assert_max_num_queries(40) as few:
        client.get(INDEX)
    queue_of(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX)
    assert "Waiting for your review (18)" in queue_section(response)
