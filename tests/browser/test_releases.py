"""Releases and the public record of change in Chromium: the release pages, a frozen record page,
the changelog and a withdrawn entry's 410 page pass axe-core at desktop and phone widths, and a
reader gets from a release to its download and its frozen records."""

import importlib

import pytest
from django.db import connection

from casestudies.models import CaseStudy
from cooperation.editorial.workflow import transition
from cooperation.releases.snapshot import cut_release
from tests.support.accessibility import assert_accessible
from tests.support.users import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FROZEN = importlib.import_module("cooperation.migrations.0013_releases_and_withdrawals")


@pytest.fixture
def released(atlas):
    """A release of the atlas, committed; afterwards removed for the next test, which only lifting
    the database's guard on releases allows (a flush deletes rows on SQLite)."""
    release = cut_release("2027.1", notes="The **first** release of the atlas.")
    yield release
    with connection.schema_editor() as editor:
        FROZEN.thaw(None, editor)
        editor.execute("DELETE FROM cooperation_releaserecord")
        editor.execute("DELETE FROM cooperation_release")
        FROZEN.freeze(None, editor)


@pytest.mark.parametrize("width", [1280, 375])
def test_release_pages_are_accessible_and_lead_to_the_data(browser, live_server, released, width):
    rita = member_of("Reviewers", "rita")
    transition(
        CaseStudy.objects.get(slug="samim-mozambique"),
        "archive",
        user=rita,
        comment="It does not meet the inclusion rule.",
    )
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/releases/")
    assert_accessible(page)
    page.get_by_role("link", name="2027.1", exact=True).click()
    assert "first" in page.inner_text("main")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Data package (zip)").click()
    assert download.value.suggested_filename.endswith("2027.1.datapackage.zip")
    page.goto(f"{live_server.url}/releases/2027.1/changes/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/releases/2027.1/case-studies/isaf-afghanistan/")
    assert "Frozen view" in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"{live_server.url}/changes/")
    assert "It does not meet the inclusion rule." in page.inner_text("main")
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/case-studies/samim-mozambique/")
    assert response.status == 410
    assert_accessible(page)
    page.get_by_role("link", name="release 2027.1").click()
    assert "Frozen view" in page.inner_text("main")
