"""Nothing unpublished reaches the public: every public page, export, feed and API answer is the
same, byte for byte, before and after unpublished entries in every state are added."""

import difflib
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from casestudies.facets import FACET_NAMES
from casestudies.models import CaseStudy
from cooperation.exchange.exporting import exported_models
from cooperation.models import (
    Status,
    publishable_models,
)
from cooperation.project.api_urls import router
from cooperation.releases.snapshot import cut_release
from tests.hardening.probes.routes import walk
from tests.support.world import (
    HIDDEN_STATUSES,
    add_hidden,
    build_published,
    staff_member,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]

MARKER = "draftleak"  # in every text field and slug of every unpublished entry


HIDDEN_KINDS = ("actor", "mechanism", "challenge", "casestudy", "topic")
CHART_CSVS = [
    ("casestudies:timeline-csv", "case-studies"),
    ("casestudies:network-csv", "actors"),
    ("casestudies:network-csv", "links"),
    *(
        ("casestudies:statistics-csv", chart)
        for chart in ["eras", "regions", "mechanisms", "matrix", "outcomes-by-mechanism"]
    ),
    ("casestudies:map-csv", "countries"),
]
# The same lists narrowed by filters, facets counted over them, searched and sorted.
QUERIES = [
    "region=europe",
    "era=post-9-11",
    "outcome=mixed",
    "mechanism=intel",
    "challenge=politics",
    "actor=nato",
    "actor=canada",
    "actor_kind=state",
    "year_from=2004&year_to=2006",
    "q=isaf",
    "q=draftleak",
    "ordering=-updated",
    "status=draft",
]


# A release cut before the unpublished entries came, as the public reads it.
RELEASE_URLS = [
    "/releases/2027.1/",
    "/releases/2027.1/changes/",
    "/releases/2027.1/case-studies/isaf/",
    "/api/v1/releases/2027.1/",
    "/api/v1/case-studies/?release=2027.1&page_size=100",
    "/api/v1/actors/?release=2027.1&page_size=100",
]


def public_urls():
    """What the public can reach without naming an unpublished entry: every page without
    parameters (from the URLconf), every published record's page, its citations, the chart
    CSVs, the filtered lists, searches and exports, and the API's lists and statistics."""
    urls = []
    for pattern in walk(get_resolver().url_patterns):
        if pattern.name and pattern.name != "api:token":  # sign-in takes a POST
            try:
                path = reverse(pattern.name)
            except NoReverseMatch:
                continue  # takes parameters: below
            if not path.startswith("/admin/"):
                urls.append(path)
    urls += [reverse(name, args=[chart]) for name, chart in CHART_CSVS]
    for model in exported_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        records = model._default_manager.all()
        if model in publishable_models():
            records = records.published()
        urls += [record.get_absolute_url() for record in records]
    for case in CaseStudy.objects.published():
        urls += [reverse("casestudies:cite", args=[case.slug, form]) for form in ("bib", "ris")]
    lists = [reverse(name) for name in ["casestudies:list", "casestudies:export-csv"]]
    lists += [
        reverse(f"casestudies:{name}") for name in ["timeline", "network", "statistics", "map"]
    ]
    lists += ["/api/v1/case-studies/", "/api/v1/stats/network/", "/api/v1/stats/mechanisms/"]
    urls += [f"{path}?{query}" for path in lists for query in QUERIES]
    urls += [f"/search/?q={words}" for words in ["isaf", "nato", "intel", "politics", "draftleak"]]
    urls += ["/case-studies/compare/?c=isaf&c=sahel"]
    facets = [reverse("casestudies:facet", args=[name]) for name in FACET_NAMES]
    urls += [f"{path}?{query}" for path in facets for query in ["", *QUERIES]]
    for _, viewset, basename in router.registry:
        path = reverse(f"api:{basename}-list")
        urls += [path + "?page_size=100", path + "?search=draftleak"]
        if getattr(viewset, "csv_fields", None):
            urls.append(path + "?format=csv")
    return list(dict.fromkeys(urls))


def api_detail_urls(client):
    """Every entry of every API list (as the public reads them): their detail URLs."""
    urls = []
    for _, _, basename in router.registry:
        response = client.get(reverse(f"api:{basename}-list") + "?page_size=100")
        urls += [urlsplit(item["url"]).path for item in response.json()["results"]]
    return urls


def probing_urls():
    """Requests that name an unpublished entry, as someone guessing or holding an old link
    would: each must get the same answer it got before the entry existed."""
    urls = []
    for status in HIDDEN_STATUSES:
        for model in publishable_models():
            slug = f"draftleak-{status}-{model._meta.model_name}"
            urls.append(model(slug=slug).get_absolute_url())
            urls.append(reverse(f"api:{model._meta.model_name}-detail", args=[slug]))
        urls.append(f"/case-studies/draftleak-{status}-casestudy/cite.ris")
        urls.append(f"/case-studies/compare/?c=isaf&c=draftleak-{status}-casestudy")
        for name in ("actor", "mechanism", "challenge"):
            urls.append(f"/case-studies/?{name}=draftleak-{status}-{name}")
            urls.append(f"/api/v1/case-studies/?{name}=draftleak-{status}-{name}")
    return urls


def read(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    return response.status_code, body.decode("utf-8", "replace"), headers


def leaks(answers):
    """The URLs whose answer shows the marker; a request that names it (a search for it) may
    echo it, and is held to answering as it did before anything unpublished existed."""
    return sorted(
        url
        for url, (_, body, headers) in answers.items()
        if MARKER in (body + headers).lower() and MARKER not in url
    )


def changes(before, after):
    """The URLs whose status or body changed, each with the first lines that differ."""
    found = []
    for url, (status, body, _) in after.items():
        if (status, body) != before[url][:2]:
            diff = difflib.unified_diff(before[url][1].splitlines(), body.splitlines(), n=0)
            found.append(f"{url} ({before[url][0]} -> {status}): " + " | ".join(list(diff)[2:6]))
    return found


@pytest.mark.slow
def test_unpublished_entries_leave_no_trace_for_the_public(empty_database):
    """Every page, list, count, facet, search, export, feed, sitemap, chart and API answer the
    public gets is the same, byte for byte, before and after unpublished entries in every state
    are added and tied to the published ones; and none shows an unpublished entry's text, slug
    or URL (every one of which carries the marker)."""
    build_published()
    cut_release("2027.1", notes="Before the unpublished entries came.")
    public = Client(raise_request_exception=False)
    urls = public_urls() + api_detail_urls(public) + RELEASE_URLS
    probes = probing_urls()
    before = {url: read(public, url) for url in urls + probes}
    assert leaks({url: before[url] for url in urls}) == []
    assert [url for url in urls if before[url][0] != 200] == []

    for status in HIDDEN_STATUSES:
        add_hidden(status)
    cache.clear()  # read afresh (the content version also moved on)
    after = {url: read(public, url) for url in urls + probes}
    assert leaks({url: after[url] for url in urls}) == []
    assert changes(before, after) == []


def test_editors_do_see_the_unpublished_entries(empty_database, django_user_model):
    """The other side of the leak test: the marker is found where it may be, so its absence
    from the public's pages means something."""
    build_published()
    for status in HIDDEN_STATUSES:
        add_hidden(status)
    expected = {f"draftleak-{status}-{kind}" for status in HIDDEN_STATUSES for kind in HIDDEN_KINDS}
    editor = Client()
    editor.force_login(staff_member("eddie", "Editors"))
    for url in ["/search/?q=draftleak", "/case-studies/", "/topics/", "/api/v1/case-studies/"]:
        seen = set(re.findall(r"draftleak-[a-z_]+-[a-z]+", read(editor, url)[1].lower()))
        expected -= seen
    assert expected == set()


def test_every_publishable_kind_has_unpublished_entries_in_the_leak_test(empty_database):
    """A new kind of content must join the leak test with entries in every hidden state."""
    build_published()
    for status in HIDDEN_STATUSES:
        add_hidden(status)
    for model in publishable_models():
        statuses = set(
            model._default_manager.exclude(status=Status.PUBLISHED).values_list("status", flat=True)
        )
        assert statuses == set(HIDDEN_STATUSES), model
        assert model._default_manager.published().exists(), model
