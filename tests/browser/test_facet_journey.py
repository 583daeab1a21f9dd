"""An analyst in a real browser, on the loaded atlas: reaches a facet value far down its list,
removes a filter by its chip, keeps compare picks across pages and searches, and on a phone
finds the filters folded above the results."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def result_count(page):
    return int(page.locator("#results-heading").inner_text().split()[0])


def test_a_fortieth_actor_is_reached_chosen_and_removed(page, live_server):
    page.goto(f"{live_server.url}/case-studies/")
    page.get_by_role("link", name=re.compile(r"^Show all \d+ actor values")).click()
    assert_accessible(page)
    fortieth = page.locator(".facet-values li").nth(39)
    name = fortieth.get_by_role("link").inner_text()
    count = int(re.search(r"\((\d+)\)", fortieth.inner_text()).group(1))
    fortieth.get_by_role("link").click()
    assert result_count(page) == count
    chip = page.get_by_role("link", name=f"Remove filter Actor: {name}")
    assert chip.is_visible()
    assert_accessible(page)
    chip.click()
    assert result_count(page) > count
    assert page.get_by_role("link", name=re.compile("^Remove filter")).count() == 0


def test_a_ticked_value_applies_at_once(page, live_server):
    page.goto(f"{live_server.url}/case-studies/")
    everything = result_count(page)
    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile(r"^Europe \(")).check()
    assert "region=europe" in page.url
    assert result_count(page) < everything


def test_compare_picks_survive_a_page_change_and_a_search(page, live_server):
    page.goto(f"{live_server.url}/case-studies/")
    with page.expect_navigation():
        page.get_by_role("checkbox", name="Compare").first.check()
    page.get_by_role("link", name="Next page").click()
    with page.expect_navigation():
        page.get_by_role("checkbox", name="Compare").first.check()
    assert page.get_by_role("button", name="Compare selected (2)").is_visible()
    page.get_by_label("Search", exact=True).fill("intelligence")
    page.get_by_role("button", name="Apply filters").click()
    compare = page.get_by_role("button", name="Compare selected (2)")
    expect(compare).to_be_visible()  # the bar stays in view: it is the top of the results
    compare.click()
    expect(page.locator("table.compare thead th")).to_have_count(2)
    assert_accessible(page)


def test_on_a_phone_the_filters_fold_above_the_results(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/case-studies/?region=europe&outcome=mixed")
    summary = page.locator("summary", has_text="Filters (2)")
    assert summary.is_visible()
    assert not page.locator("form.filters").is_visible()
    heading = page.locator("#results-heading").bounding_box()
    assert heading["y"] < 740  # the results start on the first screen
    summary.click()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert_accessible(page)
    context.close()
