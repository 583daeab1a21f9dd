"""Query parameters: every filter, search, order and page number of the site and the API."""

import pytest
from django.test import Client

from tests.hardening.bad_input.corpus import (
    XSS,
    api_error,
    body_of,
    encoded,
    snapshot,
    unescaped_xss,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


# Query parameters: filters, search, order, pages -------------------------------------------------


def understood(name, value):
    """Whether a filter value means something; None where leaving it out and refusing it are
    both clear answers (an empty or blank value)."""
    if name in ("q", "search"):
        return len(value) <= 200 and "\x00" not in value
    if not value.strip():
        return None
    if name == "page_size":
        return value.isdigit() and int(value) >= 1  # more than 100 gives 100
    return False  # no value of the corpus names a record, a choice, a year or an order


SITE_FILTERS = ["q", "region", "era", "outcome", "mechanism", "challenge", "actor", "actor_kind"]
SITE_FILTERS += ["year_from", "year_to", "ordering"]
SITE_PAGES = {
    "/case-studies/": SITE_FILTERS,
    "/case-studies/timeline/": ["q", "region", "year_from"],
    "/case-studies/network/": ["actor", "year_to"],
    "/case-studies/statistics/": ["mechanism", "era"],
}
SITE_DOWNLOADS = {
    "/case-studies/export.csv": ["region", "year_from", "q", "ordering"],
    "/case-studies/export.json": ["actor_kind", "year_to"],
    "/case-studies/statistics/matrix.csv": ["region", "challenge"],
    "/case-studies/network/links.csv": ["actor"],
}
API_LISTS = {
    "/api/v1/case-studies/": [*SITE_FILTERS, "search", "status", "updated_after", "page_size"],
    "/api/v1/actors/": ["search", "kind", "region", "ordering", "updated_after", "status"],
    "/api/v1/mechanisms/": ["category", "parent"],
    "/api/v1/challenges/": ["mitigated_by"],
    "/api/v1/memberships/": ["member", "organisation", "role"],
    "/api/v1/participations/": ["case_study", "actor", "confidence", "role"],
    "/api/v1/sources/": ["search", "kind"],
    "/api/v1/topics/": ["search", "refers_to", "ordering"],
    "/api/v1/regions/": ["page_size"],
    "/api/v1/stats/eras/": ["q", "region", "year_from"],
    "/api/v1/stats/network/": ["actor", "year_to"],
}


class TestQueryParameters:
    @pytest.mark.parametrize(
        ("path", "name"), [(path, name) for path, names in SITE_PAGES.items() for name in names]
    )
    def test_site_filters_report_what_they_do_not_understand(self, world, path, name, settings):
        # Every answer rendered, none from the page cache: the test reads each page's context.
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0
        client = Client(raise_request_exception=False)
        before, wrong = snapshot(), []
        for label, value, decoded in encoded():
            response = client.get(f"{path}?{name}={value}")
            errors = response.context and response.context["filterset"].errors
            expected = understood(name, decoded)
            if response.status_code != 200 or unescaped_xss(response):
                wrong.append(f"{label}: {response.status_code}")
            elif expected is not None and (name in errors) == expected:
                wrong.append(f"{label}: errors {dict(errors)}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("path", "name"),
        [(path, name) for path, names in SITE_DOWNLOADS.items() for name in names],
    )
    def test_downloads_refuse_filters_they_do_not_understand(self, world, path, name):
        """A file cannot show the page's "not understood": it is a 400 naming the filter, not
        a file that quietly ignores it."""
        client = Client(raise_request_exception=False)
        wrong = []
        for label, value, decoded in encoded():
            response = client.get(f"{path}?{name}={value}")
            expected = understood(name, decoded)
            refused = response.status_code == 400 and f"{name}:" in body_of(response)
            if {False: not refused, True: response.status_code != 200}.get(
                expected, response.status_code not in (200, 400)
            ):
                wrong.append(f"{label}: {response.status_code}")
        assert wrong == []

    @pytest.mark.parametrize(
        ("path", "name"), [(path, name) for path, names in API_LISTS.items() for name in names]
    )
    def test_api_filters_refuse_what_they_do_not_understand(self, world, path, name):
        client = Client(raise_request_exception=False)
        before, wrong = snapshot(), []
        for label, value, decoded in encoded():
            response = client.get(f"{path}?{name}={value}")
            expected = understood(name, decoded)
            if response.status_code == 400:
                if expected or name not in api_error(response).get("fields", {}):
                    wrong.append(f"{label}: 400 {api_error(response)}")
            elif response.status_code != 200 or expected is False:
                wrong.append(f"{label}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.parametrize(
        "path",
        [
            "/case-studies/",
            "/actors/",
            "/mechanisms/",
            "/challenges/",
            "/api/v1/actors/",
        ],
    )
    def test_page_numbers_that_are_not_pages_are_not_found(self, world, path):
        client = Client(raise_request_exception=False)
        wrong = []
        for label, value, _ in encoded():
            status = client.get(f"{path}?page={value}").status_code
            # An empty page number is the first page on the site; the API asks for one.
            expected = 200 if value == "" and not path.startswith("/api/") else 404
            if status != expected:
                wrong.append(f"{label}: {status}")
        assert wrong == []

    @pytest.mark.parametrize(
        ("path", "name"),
        [
            ("/search/", "q"),
            ("/case-studies/compare/", "c"),
            ("/case-studies/timeline/", "colour_by"),
            ("/api/v1/case-studies/", "format"),
        ],
    )
    def test_other_parameters(self, world, path, name):
        """Search and compare show what they found (nothing, for nonsense); an unknown colour
        scheme is the default one; an unknown format is not found."""
        client = Client(raise_request_exception=False)
        wrong = []
        for label, value, _ in encoded():
            response = client.get(f"{path}?{name}={value}")
            expected = 404 if name == "format" else 200
            if response.status_code != expected or unescaped_xss(response):
                wrong.append(f"{label}: {response.status_code}")
        assert wrong == []

    def test_the_search_box_echoes_text_escaped(self, world):
        html = Client().get("/search/", {"q": f"{XSS} {{{{ 7*7 }}}}"}).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "{{ 7*7 }}" in html
