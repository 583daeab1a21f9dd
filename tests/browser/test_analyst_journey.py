"""An analyst's journey through the site in a real browser, with an accessibility check of every
page on the way (axe-core: no serious or critical violation)."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    MechanismFactory,
    MechanismUseFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.support.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def atlas_content(empty_database):
    middle_east = RegionFactory(name="Middle East", slug="middle-east")
    europe = RegionFactory(name="Europe", slug="europe")
    intel = MechanismFactory(name="Intelligence sharing", slug="intelligence-sharing")
    ops = MechanismFactory(name="Joint operations", slug="joint-operations")
    coalition = ActorFactory(name="Global Coalition", slug="global-coalition")
    for title, slug, region, mechanisms in [
        ("Operation Inherent Resolve", "oir", middle_east, [intel, ops]),
        ("Counter-ISIS intelligence cell", "cell", middle_east, [intel]),
        ("European information exchange", "exchange", europe, [intel]),
    ]:
        case = CaseStudyFactory(title=title, slug=slug, summary=f"About {title}.")
        case.regions.add(region)
        case.sources.add(SourceFactory())
        for mechanism in mechanisms:
            MechanismUseFactory(case_study=case, mechanism=mechanism)
        ParticipationFactory(case_study=case, actor=coalition, contribution="Coordination.")
        ChallengeEncounterFactory(case_study=case)


def test_analyst_journey(live_server, page, screenshot, atlas_content):
    page.goto(live_server.url)
    assert page.title().startswith("Home")
    assert_accessible(page)
    screenshot(page, "home")

    page.get_by_role("link", name="Intelligence sharing").first.click()
    page.get_by_role("checkbox", name="Middle East").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "mechanism=intelligence-sharing" in page.url and "region=middle-east" in page.url
    expect(page.get_by_role("heading", name="2 case studies")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "list-filtered")

    page.get_by_role("link", name="Operation Inherent Resolve").click()
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Operation Inherent Resolve")
    )
    assert_accessible(page)
    screenshot(page, "case-study")

    page.get_by_role("link", name="Global Coalition").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Global Coalition")
    expect(page.get_by_role("link", name="Operation Inherent Resolve")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/case-studies/?region=middle-east")
    page.get_by_role("checkbox", name="Compare").nth(0).check()
    page.get_by_role("checkbox", name="Compare").nth(1).check()
    page.get_by_role("button", name="Compare selected").click()
    # Waits for the compare page: the click only starts the navigation.
    expect(page.get_by_role("table")).to_be_visible()
    assert page.locator("td .shared").count() >= 2
    assert_accessible(page)
    screenshot(page, "compare")

    page.goto(f"{live_server.url}/case-studies/?region=middle-east")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert sorted(row["slug"] for row in rows) == ["cell", "oir"]


def test_keyboard_user_can_skip_to_content_and_see_focus(live_server, page, atlas_content):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.evaluate("element => element === document.activeElement")
    outline = skip_link.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_pages_fit_a_phone(browser, live_server, atlas_content, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    for path in [
        "/",
        "/case-studies/",
        "/case-studies/oir/",
        "/case-studies/compare/?c=oir&c=cell",
    ]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    screenshot(page, "phone-case-study-list")
    context.close()
