"""The editorial journey in the admin, in Chromium: a draft goes to review, is sent back, fixed and
published through the checklist; an editor changes a published case study and the public keeps
the published version until the reviewer, who finds the changes waiting on the admin index,
publishes them; and a reviewer compares versions and reverts one, links and claims included."""

import pytest

from casestudies.models import CaseStudy
from cooperation.editorial.history import recording
from cooperation.models import Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.support.accessibility import assert_accessible
from tests.support.users import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.support.users


@pytest.fixture
def case_study(empty_database):
    source = SourceFactory(title="Mission report", slug="mission-report")
    case = CaseStudyFactory(
        title="Gulf patrols", slug="gulf-patrols", summary="Patrols in the Gulf, as published."
    )
    case.regions.add(RegionFactory(name="Middle East", slug="middle-east"))
    case.sources.add(source)
    link = ParticipationFactory(case_study=case, actor=ActorFactory(name="Oman"), role="lead")
    link.sources.add(source)
    return case


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_changes_to_a_published_entry_wait_for_review(browser, live_server, case_study):
    member_of("Editors", "eddie")
    member_of("Reviewers", "rita")
    public_url = f"{live_server.url}{case_study.get_absolute_url()}"
    change_url = f"{live_server.url}/admin/casestudies/casestudy/{case_study.pk}/change/"

    editor = signed_in(browser, live_server, "eddie")
    editor.goto(change_url)
    assert_accessible(editor)  # the form with its autocompletes and claims inlines
    headings = [text.strip() for text in editor.locator("#casestudy_form h2").all_text_contents()]
    assert headings.index("Participations") < headings.index("Record")  # claims after content
    editor.get_by_label("Summary").fill("Patrols in the Gulf, as the editor revised them.")
    editor.get_by_role("button", name="Save", exact=True).click()
    assert "wait for review" in editor.locator(".messagelist").inner_text()
    assert "Published, with unpublished changes" in editor.content()

    public = browser.new_context().new_page()
    public.goto(public_url)
    assert "as published." in public.inner_text("main")

    editor.goto(change_url)
    editor.get_by_role("link", name="Preview the changes").click()
    assert "Preview of changes waiting for review" in editor.inner_text("main")
    assert "as the editor revised them." in editor.inner_text("main")

    reviewer = signed_in(browser, live_server, "rita")
    assert_accessible(reviewer)  # the admin index with its review queue
    queue = reviewer.locator("#review-queue")
    assert "Waiting for your review (1)" in queue.inner_text()
    queue.get_by_role("link", name="Changes to the case study “Gulf patrols”").click()
    assert reviewer.get_by_label("Summary").input_value().endswith("as the editor revised them.")
    reviewer.get_by_role("button", name="Save and publish the changes").click()
    assert "Publish the changes: done" in reviewer.locator(".messagelist").inner_text()

    public.goto(public_url)
    assert "as the editor revised them." in public.inner_text("main")


def test_a_draft_is_sent_back_fixed_and_published(browser, live_server, case_study):
    CaseStudy.objects.filter(pk=case_study.pk).update(status=Status.DRAFT)
    member_of("Editors", "eddie")
    member_of("Reviewers", "rita")
    change_url = f"{live_server.url}/admin/casestudies/casestudy/{case_study.pk}/change/"

    editor = signed_in(browser, live_server, "eddie")
    editor.goto(change_url)
    editor.get_by_label("Summary").fill("Patrols in the Gulf, a first draft.")
    editor.get_by_role("button", name="Save and submit for review").click()
    assert "is now in review" in editor.locator(".messagelist").inner_text()

    reviewer = signed_in(browser, live_server, "rita")
    reviewer.locator("#review-queue").get_by_role("link", name="Gulf patrols").first.click()
    reviewer.get_by_label("What needs to change").fill("Say who patrolled.")
    reviewer.get_by_role("button", name="Save and send back to draft").click()
    assert "is now draft" in reviewer.locator(".messagelist").inner_text()

    editor.goto(f"{live_server.url}/admin/")
    assert "Say who patrolled." in editor.locator("#review-queue").inner_text()
    editor.goto(change_url)
    editor.get_by_label("Summary").fill("Patrols in the Gulf led by Oman.")
    editor.get_by_label("Change note").fill("Named the lead.")
    editor.get_by_role("button", name="Save and submit for review").click()

    reviewer.goto(change_url)
    reviewer.get_by_role("button", name="Save and publish…").click()
    assert "Met: All 1 claims cite a source" in reviewer.inner_text("main")
    assert_accessible(reviewer)  # the checklist
    reviewer.get_by_role("button", name="Publish", exact=True).click()
    assert "is now published" in reviewer.locator(".messagelist").inner_text()

    reviewer.goto(f"{change_url.removesuffix('change/')}history/")
    assert_accessible(reviewer)
    history = reviewer.locator("table.versions").inner_text()
    for step in ["Submitted for review.", "Sent back to draft: Say who patrolled.", "Published."]:
        assert step in history
    assert "Named the lead." in history


def test_a_reviewer_compares_and_reverts_links_and_claims(browser, live_server, case_study):
    rita = member_of("Reviewers", "rita")
    with recording(user=rita, note="Added Qatar and the Gulf."):
        case_study.regions.add(RegionFactory(name="Gulf states", slug="gulf-states"))
        added = ParticipationFactory(
            case_study=case_study, actor=ActorFactory(name="Qatar"), role="partner"
        )
        added.sources.add(*case_study.sources.all())
    public_url = f"{live_server.url}{case_study.get_absolute_url()}"
    history_url = f"{live_server.url}/admin/casestudies/casestudy/{case_study.pk}/history/"

    reviewer = signed_in(browser, live_server, "rita")
    reviewer.goto(history_url)
    assert "Added Qatar and the Gulf." in reviewer.locator("table.versions").inner_text()
    reviewer.get_by_role("button", name="Compare the chosen versions").click()
    assert_accessible(reviewer)
    compared = reviewer.inner_text("main")
    assert "Participation “Qatar (Partner)”: added" in compared
    assert "Gulf states" in reviewer.locator("table.entry-changes").inner_text()

    reviewer.get_by_role("link", name="Revert to version 1…").click()
    assert_accessible(reviewer)
    reviewer.get_by_label("Change note").fill("Qatar's part is not sourced well enough.")
    reviewer.get_by_role("button", name="Revert to version 1").click()
    assert "Reverted to the version of" in reviewer.locator(".messagelist").inner_text()

    public = browser.new_context().new_page()
    public.goto(public_url)
    participants = public.locator("section[aria-labelledby=participants-heading]").inner_text()
    assert "Qatar" not in participants and "Oman" in participants
    reviewer.goto(history_url)
    assert "Reverted to the version of" in reviewer.locator("table.versions").inner_text()


def test_the_admin_forms_pass_axe(browser, live_server, case_study):
    member_of("Reviewers", "rita")
    page = signed_in(browser, live_server, "rita")
    for path in [
        "/admin/casestudies/casestudy/add/",
        "/admin/cooperation/actor/add/",
        "/admin/cooperation/mechanism/add/",
        f"/admin/casestudies/casestudy/{case_study.pk}/workflow/publish/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(f"{live_server.url}/admin/casestudies/casestudy/{case_study.pk}/change/")
    page.get_by_role("button", name="Add another Participation").click()
    assert_accessible(page)  # a new inline row's autocompletes are named too
