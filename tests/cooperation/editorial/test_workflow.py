"""The editors' workflow: who may make which transition, the groups that carry those rights,
history with revert and comparison, refused lost updates, and previews of drafts."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Actor, Mechanism, Status
from tests.factories import ActorFactory, CaseStudyFactory, MechanismFactory, SourceFactory
from tests.support.admin_urls import change_url, workflow_url

pytestmark = pytest.mark.django_db


class TestGroups:
    def test_editors_edit_but_do_not_review_or_delete_content(self, eddie):
        assert eddie.has_perm("casestudies.change_casestudy")
        assert eddie.has_perm("casestudies.add_casestudy")
        assert eddie.has_perm("casestudies.delete_participation")
        assert not eddie.has_perm("casestudies.review_casestudy")
        assert not eddie.has_perm("casestudies.delete_casestudy")

    def test_reviewers_may_also_review(self, rita):
        for label in ["cooperation.actor", "cooperation.mechanism", "cooperation.challenge"]:
            app, model = label.split(".")
            assert rita.has_perm(f"{app}.review_{model}")
            assert rita.has_perm(f"{app}.change_{model}")
        assert not rita.has_perm("cooperation.delete_actor")


class TestTransitions:
    def test_the_whole_path(self, eddie, rita):
        actor = ActorFactory(status=Status.DRAFT)
        transition(actor, "submit", user=eddie)
        assert actor.status == Status.IN_REVIEW
        transition(actor, "send_back", user=rita, comment="Add the founding date.")
        actor.refresh_from_db()
        assert (actor.status, actor.review_note) == (Status.DRAFT, "Add the founding date.")
        transition(actor, "submit", user=eddie)
        transition(actor, "publish", user=rita)
        actor.refresh_from_db()
        assert actor.is_published and actor.review_note == "" and actor.published_at
        transition(actor, "archive", user=rita, comment="Withdrawn for the test.")
        assert Actor.objects.get(pk=actor.pk).status == Status.ARCHIVED
        assert not Actor.objects.published().filter(pk=actor.pk).exists()

    @pytest.mark.parametrize("name", ["publish", "send_back", "archive"])
    def test_editors_may_not_review(self, eddie, name):
        actor = ActorFactory(status=Status.IN_REVIEW)
        with pytest.raises(PermissionDenied):
            transition(actor, name, user=eddie, comment="x")
        assert Actor.objects.get(pk=actor.pk).status == Status.IN_REVIEW

    def test_anyone_without_rights_may_not_submit(self, django_user_model):
        nobody = django_user_model.objects.create_user("nobody")
        with pytest.raises(PermissionDenied):
            transition(ActorFactory(status=Status.DRAFT), "submit", user=nobody)

    def test_transition_from_the_wrong_state_is_refused(self, rita):
        with pytest.raises(WorkflowError, match="cannot be sent back"):
            transition(ActorFactory(status=Status.DRAFT), "send_back", user=rita, comment="x")
        with pytest.raises(WorkflowError):
            transition(ActorFactory(status=Status.PUBLISHED), "submit", user=rita)

    def test_sending_back_needs_a_comment(self, rita):
        with pytest.raises(WorkflowError, match="Say what needs to change"):
            transition(ActorFactory(status=Status.IN_REVIEW), "send_back", user=rita)

    def test_case_study_needs_a_source_to_be_published(self, rita):
        case = CaseStudyFactory(status=Status.IN_REVIEW)
        with pytest.raises(WorkflowError, match="needs at least one source"):
            transition(case, "publish", user=rita)
        assert CaseStudy.objects.get(pk=case.pk).status == Status.IN_REVIEW
        case.sources.add(SourceFactory())
        transition(case, "publish", user=rita)
        assert case.is_published

    def test_republishing_keeps_the_first_publication_time(self, rita):
        actor = ActorFactory(status=Status.IN_REVIEW)
        transition(actor, "publish", user=rita)
        first = actor.published_at
        transition(actor, "archive", user=rita, comment="Withdrawn for the test.")
        transition(actor, "publish", user=rita)
        assert Actor.objects.get(pk=actor.pk).published_at == first


class TestAdminWorkflow:
    def test_buttons_show_only_what_the_user_may_do(self, client, eddie, rita):
        actor = ActorFactory(status=Status.IN_REVIEW)
        client.force_login(eddie)
        html = client.get(change_url(actor)).content.decode()
        assert "Save and publish…</button>" not in html and "Save and archive</button>" not in html
        client.force_login(rita)
        html = client.get(change_url(actor)).content.decode()
        assert "Save and publish…</button>" in html
        assert "Save and send back to draft</button>" in html

    def test_bulk_actions_offered_by_right(self, client, eddie, rita):
        url = reverse("admin:cooperation_actor_changelist")
        ActorFactory()
        client.force_login(eddie)
        actions = dict(client.get(url).context["action_form"].fields["action"].choices)
        assert "submit_selected" in actions and "publish_selected" not in actions
        client.force_login(rita)
        actions = dict(client.get(url).context["action_form"].fields["action"].choices)
        assert {"submit_selected", "publish_selected", "archive_selected"} <= set(actions)

    def test_buttons_make_the_transition_and_say_why_not(self, client, rita):
        case = CaseStudyFactory(status=Status.IN_REVIEW)
        client.force_login(rita)
        response = client.post(workflow_url(case, "publish"), follow=True)
        assert "needs at least one source" in response.content.decode()
        assert CaseStudy.objects.get(pk=case.pk).status == Status.IN_REVIEW

        response = client.post(workflow_url(case, "send_back"), {"comment": "Cite UNSCR 1386."})
        case.refresh_from_db()
        assert (case.status, case.review_note) == (Status.DRAFT, "Cite UNSCR 1386.")
        assert "Cite UNSCR 1386." in client.get(change_url(case)).content.decode()

    def test_editor_cannot_publish_through_the_url(self, client, eddie):
        actor = ActorFactory(status=Status.IN_REVIEW)
        client.force_login(eddie)
        client.post(workflow_url(actor, "publish"))
        assert Actor.objects.get(pk=actor.pk).status == Status.IN_REVIEW

    @pytest.mark.usefixtures("empty_database")
    def test_published_slug_cannot_change(self, client, rita):
        actor = ActorFactory(slug="nato")
        client.force_login(rita)
        form = client.get(change_url(actor)).context["adminform"].form
        assert "slug" not in form.fields


def actor_form_data(actor, **changes):
    data = {
        "name": actor.name,
        "short_name": actor.short_name,
        "slug": actor.slug,
        "kind": actor.kind,
        "summary": actor.summary,
        "body": actor.body,
        "expected_version": actor.version,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


class TestLostUpdatesInTheAdmin:
    def test_second_save_from_the_same_version_is_refused(self, client, rita):
        actor = ActorFactory(status=Status.DRAFT, summary="Original.")
        opened_at = Actor.objects.get(pk=actor.pk)
        client.force_login(rita)

        first = client.post(change_url(actor), actor_form_data(opened_at, summary="First."))
        assert first.status_code == 302
        second = client.post(change_url(actor), actor_form_data(opened_at, summary="Second."))
        assert second.status_code == 200
        assert "Someone else saved this entry after you opened it" in second.content.decode()
        assert Actor.objects.get(pk=actor.pk).summary == "First."


class TestHistory:
    def test_every_change_is_recorded_with_who_and_what(self, client, rita):
        actor = ActorFactory(status=Status.DRAFT, summary="Original.")
        client.force_login(rita)
        client.post(change_url(actor), actor_form_data(actor, summary="Edited."))
        transition(Actor.objects.get(pk=actor.pk), "publish", user=rita)
        records = list(actor.history.order_by("history_date"))
        assert [r.history_type for r in records] == ["+", "~", "~"]
        assert records[1].history_user == rita
        assert records[2].history_change_reason == "Publish"
        delta = records[1].diff_against(records[0])
        assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "summary"] == [
            ("summary", "Original.", "Edited.")
        ]

    def test_link_and_many_to_many_changes_are_recorded(self):
        case = CaseStudyFactory()
        source = SourceFactory()
        case.sources.add(source)
        assert case.history.count() == 2  # created, then a source added
        latest = case.history.latest("history_date")
        assert list(latest.sources.values_list("source_id", flat=True)) == [source.pk]
        mechanism = MechanismFactory()
        mechanism.name = "Renamed"
        mechanism.save()
        assert Mechanism.history.filter(id=mechanism.pk).count() == 2


class TestPreview:
    def test_editor_previews_a_draft_uncached_and_the_public_cannot(self, client, eddie):
        draft = CaseStudyFactory(status=Status.DRAFT, title="Work in progress")
        assert client.get(draft.get_absolute_url()).status_code == 404
        client.force_login(eddie)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "Work in progress" in response.content.decode()
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
        html = client.get(change_url(draft)).content.decode()
        assert f'href="{draft.get_absolute_url()}"' in html


class TestWhoElseIsEditing:
    def test_the_form_names_who_else_has_it_open_until_they_save(self, client, eddie, rita):
        actor = ActorFactory(status=Status.DRAFT, name="Gulf Commission")
        client.force_login(rita)
        client.get(change_url(actor))
        client.force_login(eddie)
        page = client.get(change_url(actor)).content.decode()
        assert "rita has been editing this since" in page
        assert "eddie has been editing" not in page  # not oneself
        client.force_login(rita)
        assert "eddie has been editing this since" in client.get(change_url(actor)).content.decode()
        client.post(change_url(actor), actor_form_data(Actor.objects.get(pk=actor.pk)))
        client.force_login(eddie)
        assert "rita has been editing" not in client.get(change_url(actor)).content.decode()


class TestStepsSaveTheFormFirst:
    def test_submit_saves_the_edit_then_submits(self, client, eddie):
        actor = ActorFactory(status=Status.DRAFT, summary="Before.")
        client.force_login(eddie)
        data = actor_form_data(actor, summary="Edited, then submitted.", _workflow="submit")
        response = client.post(change_url(actor), data)
        assert response.status_code == 302
        saved = Actor.objects.get(pk=actor.pk)
        assert (saved.summary, saved.status) == ("Edited, then submitted.", Status.IN_REVIEW)
        reasons = [h.history_change_reason for h in saved.history.order_by("history_id")]
        assert reasons[-1] == "Submit for review"

    def test_a_refused_form_takes_no_step(self, client, eddie):
        actor = ActorFactory(status=Status.DRAFT)
        client.force_login(eddie)
        data = actor_form_data(actor, name="", _workflow="submit")
        assert client.post(change_url(actor), data).status_code == 200  # the form, with errors
        assert Actor.objects.get(pk=actor.pk).status == Status.DRAFT

    def test_an_unchanged_form_steps_on_the_version_it_showed(self, client, eddie):
        actor = ActorFactory(status=Status.DRAFT, summary="Before.")
        opened_at = Actor.objects.get(pk=actor.pk)
        saved_meanwhile = Actor.objects.get(pk=actor.pk)
        saved_meanwhile.summary = "Someone else's edit."
        saved_meanwhile.save()
        client.force_login(eddie)
        data = actor_form_data(opened_at, _workflow="submit")
        data["summary"] = "Someone else's edit."  # what the form now holds is unchanged
        data["expected_version"] = opened_at.version
        response = client.post(change_url(actor), data, follow=True)
        assert "Someone else saved this entry after you opened it" in response.content.decode()
        assert Actor.objects.get(pk=actor.pk).status == Status.DRAFT


def test_workflow_steps_are_recent_actions(client, eddie, rita):
    actor = ActorFactory(status=Status.DRAFT, name="Gulf Commission")
    client.force_login(eddie)
    client.post(change_url(actor), actor_form_data(actor, _workflow="submit"))
    client.force_login(rita)
    client.post(workflow_url(actor, "send_back"), {"comment": "Add the founding date."})
    actions = LogEntry.objects.filter(object_id=str(actor.pk)).order_by("pk")
    assert [(entry.user.username, entry.get_change_message()) for entry in actions] == [
        ("eddie", "“Gulf Commission” is now in review."),
        ("rita", "“Gulf Commission” is now draft."),
    ]
    index = client.get(reverse("admin:index")).content.decode()
    assert "Gulf Commission" in index  # Django's "Recent actions" lists the step
