"""How pages present themselves beyond the screen they were designed on, in a real browser: in
the dark colour scheme as in the light one (axe-core finds no serious or critical violation,
colour contrast included, and the charts keep a light ground for their dark ink), with their
JSON-LD read as data and refused nothing by the Content Security Policy, and in print (the
record, not the controls, with where each link leads)."""

import json

import pytest

from cooperation.models import Status
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

PAPER = {"light": "rgb(255, 255, 255)", "dark": "rgb(21, 25, 30)"}
SOURCE_URL = "https://example.org/isaf-report"

# Runs in every document before the page's own code (Playwright injects it outside the CSP).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective}: ${event.sample || event.blockedURI}`);
});
"""


@pytest.fixture
def content(empty_database):
    region = RegionFactory(name="Middle East", slug="middle-east")
    mechanism = MechanismFactory(name="Intelligence sharing", slug="intelligence-sharing")
    coalition = ActorFactory(name="Global Coalition", slug="global-coalition")
    for title, slug, featured in [
        ("Operation Inherent Resolve", "oir", True),
        ("Counter-ISIS intelligence cell", "cell", False),
    ]:
        case = CaseStudyFactory(
            title=title,
            slug=slug,
            featured=featured,
            summary=f"About {title}.",
            body="Read [the coalition's page](/actors/global-coalition/) and "
            "[its own account](https://example.org/coalition).",
        )
        case.regions.add(region)
        case.sources.add(
            SourceFactory(url=SOURCE_URL if slug == "oir" else "https://example.org/x")
        )
        MechanismUseFactory(case_study=case, mechanism=mechanism)
        ParticipationFactory(case_study=case, actor=coalition, contribution="Coordination.")
        ChallengeEncounterFactory(case_study=case)
    CaseStudyFactory(title="A draft", slug="draft", status=Status.DRAFT).regions.add(region)


def open_page(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    return page


def style(page, selector, prop, pseudo=None):
    return page.evaluate(
        "([selector, prop, pseudo]) => getComputedStyle("
        "document.querySelector(selector), pseudo).getPropertyValue(prop)",
        [selector, prop, pseudo],
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_accessible_in_either_colour_scheme(live_server, browser, content, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        for path in ["/", "/case-studies/", "/case-studies/oir/"]:
            open_page(page, live_server.url + path)
            # The scheme is the one asked for (else the check below would prove nothing).
            assert style(page, "body", "background-color") == PAPER[scheme], path
            assert_accessible(page)
            # The JSON-LD (on the home and record pages) is data: the CSP refuses nothing.
            for data in page.locator('script[type="application/ld+json"]').all_text_contents():
                assert json.loads(data)["@type"] in {"Dataset", "Article"}
            assert page.evaluate("window.cspViolations") == [], path
        assert page.locator('script[type="application/ld+json"]').count() == 1

        # The charts draw dark ink for a light ground: in the dark scheme they keep one.
        open_page(page, live_server.url + "/case-studies/statistics/")
        ground = style(page, "svg.chart", "background-color")
        assert ground == ("rgb(255, 255, 255)" if scheme == "dark" else "rgba(0, 0, 0, 0)")
    finally:
        context.close()


def test_print_shows_the_record_not_the_controls(live_server, page, content):
    controls = [
        "form.filters",
        "#site-search-q",
        ".exports",
        'input[form="compare-form"]',
        'button[formaction$="/compare/"], button[form="compare-form"]',
        'label[for="compare-oir"]',
    ]
    record = ["#results-heading", 'main a[href="/case-studies/oir/"]']
    open_page(page, live_server.url + "/case-studies/?region=middle-east")
    for selector in controls + record:  # all there on screen, so their absence below means print
        assert page.locator(selector).first.is_visible(), selector

    page.emulate_media(media="print")
    for selector in controls:
        assert not page.locator(selector).first.is_visible(), selector
    for selector in record:
        assert page.locator(selector).first.is_visible(), selector
    # The list takes the page's width once the filters are gone.
    assert page.locator(".results").bounding_box()["width"] > 700

    external = f'main .sources a[href="{SOURCE_URL}"]'
    internal = 'main .body a[href="/actors/global-coalition/"]'
    page.emulate_media(media="screen")
    open_page(page, live_server.url + "/case-studies/oir/")
    assert style(page, external, "content", "::after") in {"none", "normal"}
    page.emulate_media(media="print")
    assert SOURCE_URL in style(page, external, "content", "::after")
    assert "/actors/global-coalition/" in style(page, internal, "content", "::after")
    assert style(page, "body", "color") == "rgb(0, 0, 0)"
    assert not page.locator("#site-search-q").is_visible()
