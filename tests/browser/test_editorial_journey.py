"""An editor changes a published case study in the admin, in Chromium: the public keeps the
published version, the editor previews the changes at the public URL, the reviewer finds them
waiting on the admin index, checks them and publishes them, and then the public sees them."""

import pytest

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
