"""The entries' history in whole versions: one version per save, covering the entry, its links and
its claims, with who, when and the change note; comparisons in an editor's words; reverts that
restore everything and name the version; workflow steps in the history."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Participation
from cooperation.editorial.history import recording
from cooperation.editorial.review import take_change_step
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, EntryVersion, Revision, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.support.admin_urls import change_url
from tests.support.api import client_for, make_editor
from tests.support.forms import add_inline_row, change_form_data, edit_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_study(db):
    case = CaseStudyFactory(
        slug="isaf", title="ISAF", status=Status.DRAFT, summary="Allies secured Kabul."
    )
    source = SourceFactory(title="Alliance report")
    case.regions.add(RegionFactory(name="Inner Region"))
    case.sources.add(source)
    participation = ParticipationFactory(
        case_study=case,
        actor=ActorFactory(name="Test Alliance"),
        role="lead",
        contribution="Led it.",
    )
    participation.sources.add(source)
    return case


def versions(entry):
    return list(EntryVersion.objects.of(entry).order_by("number"))


def history_url(entry, name="history", *args):
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[entry.pk, *args])


def edit_everything(client, case, **fields):
    """One admin save that changes a field, a many-to-many link and adds a claim."""
    africa = RegionFactory(name="Outer Region")
    actor, source = ActorFactory(name="Test Partner State"), SourceFactory()

    def change(data):
        data["regions"] = [str(africa.pk)]
        add_inline_row(
            data,
            "participation_set",
            actor=str(actor.pk),
            role="partner",
            confidence="medium",
            sources=str(source.pk),
        )

    return edit_in_admin(client, case, change=change, **fields)


class TestOneVersionPerSave:
    def test_a_save_with_links_and_claims_is_one_version_with_its_note(
        self, client, rita, case_study
    ):
        client.force_login(rita)
        response = edit_everything(
            client, case_study, summary="Allies secured all of Kabul.", change_note="Wider scope."
        )
        assert response.status_code == 302
        recorded = versions(case_study)
        # Version 1 is the case study as it stood before (it had no history yet), 2 the save.
        assert [v.number for v in recorded] == [1, 2]
        saved = recorded[-1]
        assert (saved.saved_by, saved.note) == (rita, "Wider scope.")
        assert saved.action_lines == []

        page = client.get(history_url(case_study)).content.decode()
        assert "Wider scope." in page and "rita" in page

    def test_a_save_that_changes_nothing_records_nothing(self, client, rita, case_study):
        client.force_login(rita)
        edit_everything(client, case_study)
        before = len(versions(case_study))
        edit_in_admin(client, case_study)
        assert len(versions(case_study)) == before

    def test_a_new_entry_starts_at_version_one(self, rita):
        with recording(user=rita, note="First draft."):
            actor = ActorFactory(name="Gulf Commission")
        (first,) = versions(actor)
        assert (first.number, first.action_lines, first.note) == (1, ["Created."], "First draft.")

    def test_workflow_steps_are_in_the_history(self, eddie, rita, case_study):
        transition(case_study, "submit", user=eddie)
        transition(case_study, "send_back", user=rita, comment="Cite the treaty.")
        transition(case_study, "submit", user=eddie)
        transition(case_study, "publish", user=rita)
        steps = [(v.saved_by.username, v.action_lines) for v in versions(case_study)[1:]]
        assert steps == [
            ("eddie", ["Submitted for review."]),
            ("rita", ["Sent back to draft: Cite the treaty."]),
            ("eddie", ["Submitted for review."]),
            ("rita", ["Published."]),
        ]

    def test_an_api_write_records_the_change_note_header(self, django_user_model):
        editor = make_editor(django_user_model, publishes=True)
        actor = ActorFactory(slug="gulf", status=Status.DRAFT, summary="Old.")
        client = client_for(editor)
        url = f"/api/v1/actors/{actor.slug}/"
        etag = client.get(url)["ETag"]
        response = client.patch(
            url,
            {"summary": "New."},
            format="json",
            HTTP_IF_MATCH=etag,
            HTTP_CHANGE_NOTE="Fixed%20the%20summary%20%E2%80%94%20per%20source",
        )
        assert response.status_code == 200
        assert versions(actor)[-1].note == "Fixed the summary — per source"

        etag = response["ETag"]
        too_long = client.patch(
            url,
            {"summary": "Newer."},
            format="json",
            HTTP_IF_MATCH=etag,
            HTTP_CHANGE_NOTE="x" * 501,
        )
        assert too_long.status_code == 400
        assert "at most 500 characters" in too_long.json()["error"]["fields"]["Change-Note"][0]
        assert Actor.objects.get(pk=actor.pk).summary == "New."


class TestCompare:
    def test_shows_labels_names_and_words(self, client, rita, case_study):
        client.force_login(rita)
        edit_everything(client, case_study, summary="Allies secured all of Kabul.")
        page = client.get(history_url(case_study, "compare")).content.decode()
        assert '<th scope="row">Summary</th>' in page
        assert "<ins>all of </ins>" in page  # word by word
        assert (
            "<del>Inner Region</del>" in page and "<ins>Outer Region</ins>" in page
        )  # names, not ids
        assert "Participation “Test Partner State (Partner)”: added" in page
        assert "'region'" not in page and "casestudy_id" not in page


class TestRevert:
    def test_restores_fields_links_and_claims_and_says_which_version(
        self, client, rita, case_study
    ):
        client.force_login(rita)
        edit_everything(client, case_study, summary="Changed.")
        first = versions(case_study)[0]
        page = client.get(history_url(case_study, "simple_history", first.number))
        assert f"Revert “ISAF” to {first.description}?" in page.content.decode()
        data = {"expected_version": page.context["form"].initial["expected_version"]}
        response = client.post(history_url(case_study, "simple_history", first.number), data)
        assert response.status_code == 302

        case = CaseStudy.objects.get(pk=case_study.pk)
        assert case.summary == "Allies secured Kabul."
        assert [r.name for r in case.regions.all()] == ["Inner Region"]
        assert [p.actor.name for p in Participation.objects.filter(case_study=case)] == [
            "Test Alliance"
        ]
        assert case.status == Status.DRAFT
        latest = versions(case)[-1]
        assert latest.action_lines == [f"Reverted to {first.description}."]
        assert latest.saved_by == rita

    def test_an_editors_revert_of_a_live_entry_waits_for_review(
        self, client, eddie, rita, case_study
    ):
        transition(case_study, "submit", user=eddie)
        transition(case_study, "publish", user=rita)
        client.force_login(rita)
        edit_everything(client, case_study, summary="Reviewed edit.")
        published = versions(case_study)[-2]  # as first published
        client.force_login(eddie)
        url = history_url(case_study, "simple_history", published.number)
        expected = client.get(url).context["form"].initial["expected_version"]
        client.post(url, {"expected_version": expected, "change_note": "Edit was wrong."})

        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Reviewed edit."  # still live
        revision = Revision.objects.of(case_study).open().get()
        assert revision.note == f"Reverted to the version of {published.when}. Edit was wrong."
        take_change_step(revision, "publish_changes", user=rita)
        case = CaseStudy.objects.get(pk=case_study.pk)
        assert case.summary == "Allies secured Kabul."
        assert [r.name for r in case.regions.all()] == ["Inner Region"]
        latest = versions(case)[-1]
        assert latest.action_lines == ["Published the changes by eddie."]
        assert latest.note == revision.note

    def test_refused_when_the_entry_changed_since_the_page_was_opened(
        self, client, rita, case_study
    ):
        client.force_login(rita)
        edit_everything(client, case_study, summary="Second.")
        url = history_url(case_study, "simple_history", 1)
        expected = client.get(url).context["form"].initial["expected_version"]
        edit_in_admin(client, case_study, summary="Third.")
        response = client.post(url, {"expected_version": expected}, follow=True)
        assert "Someone else saved this entry after you opened it" in response.content.decode()
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Third."

    def test_refused_when_a_linked_record_is_gone(self, client, rita, case_study):
        client.force_login(rita)
        nato = case_study.participation_set.get().actor
        edit_everything(client, case_study, summary="Second.")
        data = change_form_data(client, case_study)
        data["participation_set-0-DELETE"] = ["on"]
        client.post(change_url(case_study), data)
        nato.delete()
        url = history_url(case_study, "simple_history", 1)
        expected = client.get(url).context["form"].initial["expected_version"]
        response = client.post(url, {"expected_version": expected}, follow=True)
        assert "Version 1 links to records that no longer exist: the actor “Test Alliance”" in (
            response.content.decode()
        )
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Second."

    def test_whoever_may_only_view_cannot_revert(self, client, rita, case_study, django_user_model):
        from django.contrib.auth.models import Permission

        client.force_login(rita)
        edit_everything(client, case_study, summary="Second.")
        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_casestudy"))
        client.force_login(viewer)
        url = history_url(case_study, "simple_history", 1)
        assert client.get(url).status_code == 200
        assert client.post(url, {"expected_version": 1}).status_code == 403
        assert CaseStudy.objects.get(pk=case_study.pk).summary == "Second."
