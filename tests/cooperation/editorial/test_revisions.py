"""Changes to a published entry wait for review: an editor's save in the admin keeps the live
entry as it was, with its claims and links, until a reviewer publishes the changes, which go live
all at once; reviewers may instead send them back or discard them."""

import pytest
from django.core import mail
from django.urls import reverse

from casestudies.models import CaseStudy, Participation
from cooperation.editorial.review import StaleRevision, take_change_step
from cooperation.editorial.workflow import MissingComment, WorkflowError, transition
from cooperation.models import Revision, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.support.admin_urls import change_url, workflow_url
from tests.support.forms import add_inline_row, change_form_data, edit_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_study(db):
    case = CaseStudyFactory(slug="isaf", title="ISAF", summary="The live summary.")
    case.regions.add(RegionFactory())
    case.sources.add(SourceFactory())
    ParticipationFactory(
        case_study=case, actor=ActorFactory(name="NATO"), role="lead", contribution="Led it."
    )
    return case


def open_revision(entry):
    return Revision.objects.of(entry).open().get()


def add_participant(name):
    actor, source = ActorFactory(name=name), SourceFactory()
    return lambda data: add_inline_row(
        data,
        "participation_set",
        actor=str(actor.pk),
        role="partner",
        confidence="medium",
        sources=str(source.pk),
    )


class TestEditorsChangesWaitForReview:
    def test_the_public_keeps_the_live_entry_and_its_claims(self, client, eddie, case_study):
        client.force_login(eddie)
        response = edit_in_admin(
            client,
            case_study,
            change=add_participant("Pakistan"),
            summary="The edited summary.",
            **{"participation_set-0-contribution": "Led it, from 2003."},
        )
        assert response.status_code == 302
        live = CaseStudy.objects.get(pk=case_study.pk)
        assert (live.summary, live.version, live.status) == ("The live summary.", 1, "published")
        assert [p.contribution for p in Participation.objects.filter(case_study=live)] == [
            "Led it."
        ]
        client.logout()
        page = client.get(live.get_absolute_url()).content.decode()
        assert "The live summary." in page and "Pakistan" not in page
        revision = open_revision(live)
        assert (revision.state, revision.edited_by, revision.base_version) == (
            Revision.State.PENDING,
            eddie,
            1,
        )

    def test_the_editor_is_told_and_reviewers_are_mailed(
        self, client, eddie, rita, case_study, django_capture_on_commit_callbacks
    ):
        client.force_login(eddie)
        with django_capture_on_commit_callbacks(execute=True):
            response = edit_in_admin(client, case_study, summary="Edited.")
        follow = client.get(response["Location"])
        assert "wait for review" in follow.content.decode()
        assert [message.to for message in mail.outbox] == [["rita@atlas.test"]]
        assert "Changes waiting for your review" in mail.outbox[0].subject

    def test_the_change_list_and_the_form_say_so(self, client, eddie, case_study):
        client.force_login(eddie)
        edit_in_admin(client, case_study, summary="Edited.")
        changelist = client.get(reverse("admin:casestudies_casestudy_changelist"))
        assert "Published, with unpublished changes" in changelist.content.decode()
        waiting = client.get(
            reverse("admin:casestudies_casestudy_changelist"), {"changes": "pending"}
        )
        assert list(waiting.context["cl"].result_list) == [case_study]
        form = client.get(change_url(case_study))
        assert "Workflow: Published, with unpublished changes" in form.content.decode()

    def test_the_form_edits_the_revision_so_a_second_save_keeps_the_first(
        self, client, eddie, case_study
    ):
        client.force_login(eddie)
        edit_in_admin(client, case_study, summary="First change.")
        form = client.get(change_url(case_study)).context["adminform"].form
        assert form["summary"].value() == "First change."
        edit_in_admin(client, case_study, change=add_participant("Pakistan"))
        revision = open_revision(case_study)
        assert revision.edits == 2
        records = {record["model"]: record for record in revision.content}
        assert records["casestudies.casestudy"]["fields"]["summary"] == "First change."
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "The live summary."

    def test_a_form_opened_before_another_save_of_the_revision_is_refused(
        self, client, eddie, case_study
    ):
        client.force_login(eddie)
        edit_in_admin(client, case_study, summary="First change.")
        opened = change_form_data(client, case_study)
        edit_in_admin(client, case_study, summary="Second change.")
        refused = client.post(change_url(case_study), {**opened, "body": "Third."})
        assert refused.status_code == 200  # the form again, with the conflict named
        assert "Someone else saved this entry after you opened it" in refused.content.decode()
        records = {record["model"]: record for record in open_revision(case_study).content}
        assert records["casestudies.casestudy"]["fields"]["summary"] == "Second change."
        assert records["casestudies.casestudy"]["fields"]["body"] == ""

    def test_editors_preview_the_changes_at_the_public_url(self, client, eddie, case_study):
        client.force_login(eddie)
        edit_in_admin(client, case_study, change=add_participant("Pakistan"), summary="Edited.")
        preview = client.get(case_study.get_absolute_url(), {"preview": "changes"})
        page = preview.content.decode()
        assert "Preview of changes waiting for review" in page
        assert "Edited." in page and "Pakistan" in page
        assert "private" in preview["Cache-Control"]
        assert "The live summary." in client.get(case_study.get_absolute_url()).content.decode()
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "The live summary."
        client.logout()
        anonymous = client.get(case_study.get_absolute_url(), {"preview": "changes"})
        assert "Edited." not in anonymous.content.decode()

    def test_a_reviewers_own_edit_of_a_live_entry_goes_live(self, client, rita, case_study):
        client.force_login(rita)
        edit_in_admin(client, case_study, summary="Edited by the reviewer.")
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Edited by the reviewer."
        assert not Revision.objects.of(case_study).exists()

    def test_drafts_are_edited_directly(self, client, eddie, case_study):
        CaseStudy.objects.filter(pk=case_study.pk).update(status=Status.DRAFT)
        client.force_login(eddie)
        edit_in_admin(client, case_study, summary="Draft edit.")
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Draft edit."
        assert not Revision.objects.of(case_study).exists()


class TestReviewersDecide:
    @pytest.fixture
    def new_region(self, db):
        return RegionFactory()

    @pytest.fixture
    def revision(self, client, eddie, case_study, new_region):
        client.force_login(eddie)
        edit_in_admin(
            client,
            case_study,
            change=add_participant("Pakistan"),
            summary="The edited summary.",
            **{
                "participation_set-0-DELETE": "on",
                "regions": [str(new_region.pk)],
            },
        )
        client.logout()
        return open_revision(case_study)

    def test_publishing_applies_the_whole_revision_at_once(
        self,
        client,
        rita,
        eddie,
        case_study,
        new_region,
        revision,
        django_capture_on_commit_callbacks,
    ):
        client.force_login(rita)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(workflow_url(case_study, "publish_changes"))
        assert response.status_code == 302
        live = CaseStudy.objects.get(pk=case_study.pk)
        assert live.summary == "The edited summary." and live.status == Status.PUBLISHED
        assert [p.actor.name for p in live.participation_set.all()] == ["Pakistan"]
        assert list(live.regions.all()) == [new_region]
        revision.refresh_from_db()
        assert (revision.state, revision.decided_by) == (Revision.State.PUBLISHED, rita)
        latest = live.history.order_by("-history_id").first()
        assert latest.history_user == eddie  # the content is the editor's
        assert latest.history_change_reason == "Changes published by rita"
        assert [m.to for m in mail.outbox] == [["eddie@atlas.test"]]
        assert "Changes published" in mail.outbox[0].subject
        client.logout()
        page = client.get(live.get_absolute_url()).content.decode()
        assert "The edited summary." in page and "Pakistan" in page

    def test_editors_may_not_publish_changes(self, client, eddie, case_study, revision):
        client.force_login(eddie)
        client.post(workflow_url(case_study, "publish_changes"))
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "The live summary."
        assert open_revision(case_study).state == Revision.State.PENDING

    def test_sending_back_needs_a_comment_and_tells_the_author(
        self, eddie, rita, case_study, revision, django_capture_on_commit_callbacks
    ):
        with pytest.raises(MissingComment):
            take_change_step(revision, "send_back_changes", user=rita, comment=" ")
        with django_capture_on_commit_callbacks(execute=True):
            take_change_step(revision, "send_back_changes", user=rita, comment="Cite the treaty.")
        revision.refresh_from_db()
        assert (revision.state, revision.review_note) == ("sent_back", "Cite the treaty.")
        assert "Cite the treaty." in mail.outbox[0].body
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "The live summary."

    def test_the_author_may_discard_the_changes(self, eddie, case_study, revision):
        take_change_step(revision, "discard_changes", user=eddie)
        assert not Revision.objects.of(case_study).open().exists()
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "The live summary."

    def test_changes_made_on_an_older_live_version_are_not_published(
        self, rita, case_study, revision
    ):
        live = CaseStudy.objects.get(pk=case_study.pk)
        live.body = "A reviewer's direct edit."
        live.save()
        with pytest.raises(StaleRevision, match="was changed since these changes were saved"):
            take_change_step(revision, "publish_changes", user=rita)
        live.refresh_from_db()
        assert (live.summary, live.body) == ("The live summary.", "A reviewer's direct edit.")
        assert open_revision(case_study).state == Revision.State.PENDING

    def test_publication_checks_run_on_the_changes(self, rita, case_study, revision):
        records = revision.content
        records[0]["fields"]["sources"] = []
        revision.save()
        with pytest.raises(WorkflowError, match="needs at least one source"):
            take_change_step(revision, "publish_changes", user=rita)
        assert CaseStudy.objects.get(pk=case_study.pk).sources.exists()

    def test_archiving_the_entry_discards_its_open_changes(self, rita, case_study, revision):
        transition(
            CaseStudy.objects.get(pk=case_study.pk),
            "archive",
            user=rita,
            comment="Withdrawn for the test.",
        )
        revision.refresh_from_db()
        assert revision.state == Revision.State.DISCARDED
