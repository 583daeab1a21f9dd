"""Before publishing, the reviewer sees what publication requires, met or not: every claim cites
a source and says how confident it is, and every record the entry links to is published, or is
published together with it. An unmet check refuses publication and names each failing item."""

import pytest
from django.contrib.messages import get_messages

from casestudies.models import CaseStudy
from cooperation.editorial.review import take_change_step
from cooperation.editorial.revisions import save_as_revision
from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Actor, Status
from tests.factories import ActorFactory, CaseStudyFactory, ParticipationFactory, SourceFactory
from tests.support.admin_urls import workflow_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_in_review(db):
    case = CaseStudyFactory(title="Gulf patrols", status=Status.IN_REVIEW)
    case.sources.add(SourceFactory())
    return case


def take_part(case, actor, *, sourced=True):
    link = ParticipationFactory(case_study=case, actor=actor)
    if sourced:
        link.sources.add(SourceFactory())
    return link


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_checklist_names_each_unmet_item(client, rita, case_in_review):
    draft = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    take_part(case_in_review, draft)
    take_part(case_in_review, ActorFactory(name="Oman"), sourced=False)
    client.force_login(rita)
    page = client.get(workflow_url(case_in_review, "publish")).content.decode()
    assert "<strong>Met:</strong> The case study cites at least one source." in page
    assert "<strong>Not met:</strong> Participation “Oman in Gulf patrols (member)” cites" in page
    assert "The actor “Gulf Commission” (in review)" in page
    assert 'name="also_publish"' in page


def test_an_unmet_check_refuses_and_changes_nothing(client, rita, case_in_review):
    take_part(case_in_review, ActorFactory(name="Oman"), sourced=False)
    draft = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    take_part(case_in_review, draft)
    client.force_login(rita)
    response = client.post(workflow_url(case_in_review, "publish"))
    [message] = messages_of(response)
    assert "“Oman in Gulf patrols (member)” cites no source" in message
    assert "the actor “Gulf Commission” (in review)" in message
    assert CaseStudy.objects.get(pk=case_in_review.pk).status == Status.IN_REVIEW


def test_linked_drafts_are_published_together(client, rita, case_in_review):
    draft = ActorFactory(name="Gulf Commission", status=Status.IN_REVIEW)
    take_part(case_in_review, draft)
    client.force_login(rita)
    response = client.post(
        workflow_url(case_in_review, "publish"), {"also_publish": [f"cooperation.actor:{draft.pk}"]}
    )
    assert response.status_code == 302
    assert CaseStudy.objects.get(pk=case_in_review.pk).is_published
    assert Actor.objects.get(pk=draft.pk).is_published


def test_a_linked_draft_that_cannot_be_published_stops_both(eddie, rita, case_in_review):
    unsubmitted = ActorFactory(name="Gulf Commission", status=Status.DRAFT)
    unsubmitted._history_user = eddie
    unsubmitted.save()
    take_part(case_in_review, unsubmitted)
    with pytest.raises(WorkflowError, match="nobody has submitted"):
        transition(case_in_review, "publish", user=rita, also_publish=[unsubmitted])
    assert CaseStudy.objects.get(pk=case_in_review.pk).status == Status.IN_REVIEW
    assert Actor.objects.get(pk=unsubmitted.pk).status == Status.DRAFT


def test_editors_do_not_get_the_checklist(client, eddie, case_in_review):
    client.force_login(eddie)
    assert client.get(workflow_url(case_in_review, "publish")).status_code == 403


def test_changes_that_link_a_draft_are_not_published(eddie, rita):
    case = CaseStudyFactory(title="Gulf patrols")
    case.sources.add(SourceFactory())
    draft = ActorFactory(name="Gulf Commission", status=Status.DRAFT)

    def add_draft_participant():
        take_part(case, draft)
        return True

    revision, _ = save_as_revision(case, user=eddie, change=add_draft_participant)
    with pytest.raises(WorkflowError, match="the actor “Gulf Commission” \\(draft\\)"):
        take_change_step(revision, "publish_changes", user=rita)
    assert not case.participation_set.exists()
