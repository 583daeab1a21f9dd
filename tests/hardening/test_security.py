"""Security headers on every kind of response (site page, page from the cache, admin, API, API
docs, error pages): the Content Security Policy, Permissions-Policy, nosniff, referrer and
framing policies; public pages that need no nonce; and the same policy in production.
tests/browser/test_csp.py proves in Chromium that the pages work under it."""

import base64
import hashlib
import re

import html5lib
import pytest
from django.conf import settings

from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    MechanismUseFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
    TopicFactory,
)
from tests.support.settings import settings_in_subprocess

pytestmark = pytest.mark.django_db

POWERFUL_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"]


def directives(response):
    """The Content Security Policy as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = sources
    return policy


def features(response):
    """Permissions-Policy as {feature: allow list}."""
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


@pytest.fixture
def case_study(empty_database):
    case = CaseStudyFactory(title="Operation Active Endeavour", slug="oae")
    case.regions.add(RegionFactory(name="Mediterranean", slug="mediterranean"))
    case.sources.add(SourceFactory(slug="nato-report"))
    ParticipationFactory(case_study=case, actor=ActorFactory(slug="nato"))
    MechanismUseFactory(case_study=case)
    return case


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/case-studies/oae/", "text/html"),
        ("/no-such-page/", "text/html"),
        ("/admin/login/", "text/html"),
        ("/api/v1/actors/", "application/json"),
        ("/api/v1/actors/", "text/html"),
        ("/api/v1/no-such-resource/", "application/json"),
        ("/api/v1/docs/", "text/html"),
    ],
)
def test_every_response_carries_the_security_headers(client, case_study, path, accept):
    response = client.get(path, HTTP_ACCEPT=accept)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"][0] == "'self'"
    assert all(source.startswith("'nonce-") for source in policy["style-src"][1:])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    allowed = features(response)
    for feature in POWERFUL_FEATURES:
        assert allowed[feature] == "()", feature
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_style_attributes_pass_only_those_the_api_pages_write(client, case_study):
    # DRF's list page writes a style attribute (its "Filters" button); the policy allows exactly
    # that text by its hash, and nothing else.
    response = client.get("/api/v1/case-studies/", HTTP_ACCEPT="text/html")
    written = set(re.findall(r'style="([^"]*)"', response.content.decode()))
    assert written
    sources = directives(response)["style-src-attr"]
    assert sources[0] == "'unsafe-hashes'"
    assert {sha256_source(text) for text in written} <= set(sources[1:])
    assert sha256_source("display: none") not in sources
    assert len(sources) == 1 + len(settings.THIRD_PARTY_STYLE_ATTRIBUTES)


def test_a_page_from_the_cache_gets_the_same_policy_and_needs_no_nonce(client, case_study):
    first = client.get("/case-studies/oae/")
    second = client.get("/case-studies/oae/")
    assert (first["X-Atlas-Cache"], second["X-Atlas-Cache"]) == ("miss", "hit")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "'nonce-" not in second["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


PUBLIC_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/oae/",
    "/case-studies/compare/?c=oae&c=other",
    "/case-studies/timeline/",
    "/case-studies/network/",
    "/case-studies/statistics/",
    "/search/?q=operation",
    "/actors/nato/",
    "/regions/mediterranean/",
    "/sources/nato-report/",
    "/codebook/",
    "/topics/",
    "/topics/cooperation-history/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_inline_script_or_style(client, case_study, path):
    CaseStudyFactory(slug="other")
    TopicFactory(slug="cooperation-history", body="How [[actor:nato]] *shares* intelligence.")
    response = client.get(path)
    assert response.status_code == 200
    document = html5lib.parse(response.content, namespaceHTMLElements=False)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rsplit("}", 1)[-1]
        where = f"<{tag}> on {path}"
        assert tag != "style", where
        # JSON-LD is data the browser never runs: a data block, not an inline script.
        data_block = element.get("type") == "application/ld+json"
        assert tag != "script" or element.get("src") or data_block, where
        assert "style" not in element.attrib, where
        assert not [name for name in element.attrib if name.lower().startswith("on")], where
        assert not element.get("href", "").lower().startswith("javascript:"), where


def test_the_browsable_api_styles_carry_the_response_nonce(client, case_study):
    nonces = []
    for _ in range(2):  # the second read comes from the API's cache, rendered afresh
        response = client.get("/api/v1/actors/", HTTP_ACCEPT="text/html")
        nonce = re.fullmatch(r"'nonce-(.+)'", directives(response)["style-src"][1]).group(1)
        assert f'<style nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # a new one for every response


def test_the_api_docs_load_their_script_from_the_site(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "<style" not in page
    script_url = re.search(r'<script src="(/api/v1/docs/\?[^"]*script=[^"]*)"', page).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_production_has_the_same_policy_and_https_settings():
    production = settings_in_subprocess(
        {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "atlas.example.org"},
        "[settings.SECURE_CSP, settings.PERMISSIONS_POLICY, settings.SECURE_SSL_REDIRECT,"
        " settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE]",
    )
    development = settings_in_subprocess(
        {"DEBUG": "true"}, "[settings.SECURE_CSP, settings.PERMISSIONS_POLICY]"
    )
    assert production[:2] == development
    assert production[2:] == [True, 365 * 24 * 3600, True, True]
