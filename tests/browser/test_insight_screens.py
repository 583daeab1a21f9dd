"""The insight pages (timeline, cooperation network, statistics, map) in a real browser, on the
atlas's own fixtures: each chart is visible, fits a phone without the page scrolling sideways,
passes axe-core with no serious or critical violation, and its links lead where they say.
Screenshots at desktop and phone widths land in $TMPDIR/atlas-screens/."""

import pytest

from tests.support.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "timeline": "/case-studies/timeline/",
    "timeline-by-region": "/case-studies/timeline/?colour_by=region",
    "timeline-filtered": (
        "/case-studies/timeline/?region=middle-east-and-north-africa&colour_by=outcome"
    ),
    "network": "/case-studies/network/",
    "statistics": "/case-studies/statistics/",
    "map": "/case-studies/map/",
    "map-filtered": "/case-studies/map/?region=sub-saharan-africa",
}


def assert_charts_visible(page):
    charts = page.locator("svg.chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 100, box


@pytest.mark.parametrize("name", PAGES)
def test_insight_page_at_desktop_and_phone_widths(browser, live_server, screenshot, atlas, name):
    for device, viewport in [
        ("desktop", {"width": 1280, "height": 900}),
        ("phone", {"width": 375, "height": 740}),
    ]:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + PAGES[name])
        assert page.get_by_role("heading", level=1).count() == 1
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a {device}"
        assert_charts_visible(page)
        assert_accessible(page)
        screenshot(page, f"insight-{name}-{device}")
        context.close()


def test_chart_links_lead_to_their_pages(live_server, page, atlas):
    page.goto(live_server.url + "/case-studies/?region=middle-east-and-north-africa")
    page.get_by_role("link", name="timeline").click()
    assert "/case-studies/timeline/?region=middle-east-and-north-africa" in page.url
    bar = page.locator("#timeline-chart a").first
    title = bar.get_attribute("aria-label").split(",")[0]
    bar.locator(".mark").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(title)

    page.goto(live_server.url + "/case-studies/network/?region=middle-east-and-north-africa")
    node = page.locator("#network-chart a").first
    name = node.get_attribute("aria-label").split(":")[0]
    node.locator(".mark").click(force=True)  # a label or a smaller node may lie on top
    assert page.get_by_role("heading", level=1).inner_text().startswith(name)

    page.goto(live_server.url + "/case-studies/statistics/?region=middle-east-and-north-africa")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Case studies per era as CSV").click()
    assert download_info.value.suggested_filename == "statistics-eras.csv"


def test_a_country_on_the_map_leads_to_its_list(live_server, page, atlas):
    page.goto(live_server.url + "/case-studies/map/?region=sub-saharan-africa")
    links = page.locator("#map-chart a").evaluate_all(
        "links => links.map(link => [link.getAttribute('aria-label'), link.getAttribute('href')])"
    )
    counted = [(int(label.split(": ")[1].split()[0]), label, href) for label, href in links]
    count, label, href = max(counted)  # the largest count: a large country, easy to click
    page.locator(f'#map-chart a[aria-label="{label}"] .mark').click()  # where it is drawn
    assert page.url == live_server.url + href
    assert page.locator("#results-heading").inner_text().startswith(f"{count} case stud")
