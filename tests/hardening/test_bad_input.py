"""Hostile and malformed input through every way in: the search box, every list filter, order
and page number (site and API), slugs and ids in URLs, every API write, the admin's forms, the
admin import page and the import_atlas command.

Each value must get a clear 4xx or a form error naming what is wrong, never a 500; what is
echoed back must be escaped; and the database must be exactly as it was (row counts and a
checksum of every table the atlas writes)."""

import hashlib
import io
import json
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework import serializers as drf

from cooperation.models import Actor, EditingPresence, Region, Source
from cooperation.project.api_urls import router
from tests.support.world import API_CREATE, replacement

pytestmark = pytest.mark.django_db

# The corpus: query strings and form fields carry text; JSON bodies also carry other types.
HOSTILE = {
    "negative": "-1",
    "zero": "0",
    "10**30": str(10**30),
    "twenty nines": "9" * 20,
    "fraction": "1.5",
    "empty": "",
    "blank": " ",
    "100k characters": "x" * 100_000,
    "NUL": "a\x00b",
    "SQL": "' OR 1=1 --",
    "template": "{{ 7*7 }}",
    "template tag": "{% debug %}",
    "XSS": "<script>alert(1)</script>",
    "path traversal": "../../etc/passwd",
    "encoded traversal": "%2e%2e%2f",
    "emoji": "\N{GRINNING FACE}",
    "RTL override": "\u202egnp.exe",
    "JSON": "[]",
    "impossible date": "2026-02-30",
}
# Sent as they are: percent-encodings that decode to nothing valid.
RAW = {
    "invalid UTF-8": "%ff%fe",
    "encoded surrogate": "%ED%A0%80",
    "overlong dot": "%C0%AE",
    "encoded NUL": "%00",
}
XSS = HOSTILE["XSS"]
ATLAS_APPS = ("cooperation", "casestudies", "auth", "authtoken")


def encoded():
    """(label, percent-encoded value, value as the server decodes it)."""
    for label, value in HOSTILE.items():
        yield label, quote(value, safe=""), value
    decoded = {"%ff%fe": "\ufffd\ufffd", "%ED%A0%80": "\ufffd" * 3, "%C0%AE": "\ufffd\ufffd"}
    for label, raw in RAW.items():
        yield label, raw, decoded.get(raw, "\x00")


def snapshot():
    """Row counts and a checksum of every table the atlas writes: content, links, history,
    accounts and tokens."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model is EditingPresence:
            continue  # not content: opening a form records who has it open
        if model._meta.app_label in ATLAS_APPS:
            rows = list(model._base_manager.order_by("pk").values_list())
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[model._meta.label_lower] = (len(rows), digest)
    return state


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def session(world, role):
    client = Client(raise_request_exception=False)
    client.cookies = SimpleCookie(world.cookies[role])
    return client


def api_client(world, role="editor"):
    token = world.tokens[role]
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")


def writer_of(world, resource):
    """A client allowed to write `resource` ("regions" or "region"): regions and eras only with
    a reviewer's rights."""
    vocabulary = resource.rstrip("s") in ("region", "era")
    return api_client(world, "reviewer" if vocabulary else "editor")


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def unescaped_xss(response):
    """An HTML page that shows the script payload as markup, not as text."""
    return response["Content-Type"].startswith("text/html") and XSS in body_of(response)


def api_error(response):
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


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


# Slugs and ids in URLs -------------------------------------------------------------------------

SLUG_URLS = [
    "/actors/{}/",
    "/mechanisms/{}/",
    "/challenges/{}/",
    "/topics/{}/",
    "/case-studies/{}/",
    "/case-studies/{}/cite.bib",
    "/regions/{}/",
    "/eras/{}/",
    "/sources/{}/",
    "/case-studies/statistics/{}.csv",
    "/api/v1/actors/{}/",
    "/api/v1/case-studies/{}/",
    "/api/v1/topics/{}/",
    "/api/v1/memberships/{}/",
    "/api/v1/participations/{}/",
]
ADMIN_URLS = [
    "/admin/cooperation/actor/{}/history/",
    "/admin/cooperation/actor/{}/history/compare/",
    "/admin/casestudies/casestudy/{}/history/",
    "/admin/cooperation/actor/{actor}/history/{}/",
    "/admin/cooperation/source/{source}/history/{}/",
]


class TestURLs:
    @pytest.mark.parametrize("template", SLUG_URLS)
    def test_a_slug_or_id_that_names_nothing_is_not_found(self, world, template):
        client = api_client(world) if template.startswith("/api/") else Client()
        client.raise_request_exception = False
        wrong = []
        for label, value, _ in encoded():
            for method in ("get", "post"):
                status = getattr(client, method)(template.format(value)).status_code
                allowed = {404, 405} if method == "post" else {404}
                if status not in allowed:
                    wrong.append(f"{method} {label}: {status}")
        assert wrong == []

    @pytest.mark.parametrize("template", ADMIN_URLS)
    def test_admin_pages_of_nothing_are_not_found(self, world, template):
        client = session(world, "admin")
        ids = {"actor": Actor.objects.first().pk, "source": Source.objects.first().pk}
        before, wrong = snapshot(), []
        for label, value, decoded in encoded():
            # An empty id, or one with a slash, makes another URL: the admin's redirect of
            # /<id>/ to the change page, which then says there is no such entry.
            expected = {404, 302} if not decoded or "/" in decoded else {404}
            for method in ("get", "post"):
                response = getattr(client, method)(template.format(value, **ids))
                if response.status_code not in expected:
                    wrong.append(f"{method} {label}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.parametrize("suffix", ["change/", "delete/", "workflow/publish/"])
    def test_admin_change_pages_of_nothing_say_so(self, world, suffix):
        """Django's admin sends a change or delete page of nothing back to the index with a
        message; the workflow's buttons answer 404."""
        client = session(world, "admin")
        before, wrong = snapshot(), []
        for label, value, _ in encoded():
            path = f"/admin/cooperation/actor/{value}/{suffix}"
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                if status not in (302, 403, 404):
                    wrong.append(f"{method} {label}: {status}")
        assert wrong == []
        assert snapshot() == before


# API writes ------------------------------------------------------------------------------------


def invalid_values(field):
    """Values a field of an API input must refuse, for its type."""
    if isinstance(field, drf.ManyRelatedField):
        return ["europe", ["no-such-record"], [1], [[]], [None], ["a\x00"], ["\ud800"], [10**30]]
    if isinstance(field, drf.RelatedField):
        return ["no-such-record", 1, ["nato"], {}, "../../etc/passwd", "a\x00b", "\ud800", ""]
    values = [{"an": "object"}, [], "a\x00b", "\ud800"]
    if not field.allow_null:
        values.append(None)
    if isinstance(field, drf.BooleanField):
        return [*values, "true", 1, 0]
    if isinstance(field, drf.IntegerField):
        return [*values, "1", 1.5, True, 10**30, -(10**30), *([-1] if field.min_value == 0 else [])]
    if isinstance(field, drf.DateField):
        return [*values, "2026-02-30", 20260101, "yesterday", "99999-01-01", "-0001-01-01", True]
    if isinstance(field, drf.ChoiceField):
        return [*values, "no-such-choice", 1, True, XSS]
    values += [1, 1.5, True]
    if field.max_length is not None:
        values.append("x" * (field.max_length + 1))
    if isinstance(field, drf.SlugField):
        values += ["../../etc/passwd", "%2e%2e%2f", XSS, "a b", HOSTILE["emoji"]]
    if isinstance(field, drf.URLField):
        values += ["javascript:alert(1)", "not a link", "file:///etc/passwd"]
    return values


def writable_fields(viewset):
    serializer = viewset.input_serializer_class()
    return {name: field for name, field in serializer.fields.items() if not field.read_only}


def post_json(client, path, body, **headers):
    data = json.dumps(body)  # a lone surrogate travels as JSON's "\ud800" escape
    return client.post(path, data, content_type="application/json", **headers)


# The writable resources (releases and withdrawals are read only).
VIEWSETS = {
    basename: viewset
    for _, viewset, basename in router.registry
    if getattr(viewset, "model", None) is not None
}
RESOURCES = list(VIEWSETS)


class TestAPIWrites:
    @pytest.mark.parametrize("basename", RESOURCES)
    def test_every_field_refuses_values_of_the_wrong_kind(self, world, basename):
        viewset = VIEWSETS[basename]
        client, path = writer_of(world, basename), reverse(f"api:{basename}-list")
        with transaction.atomic():  # the control: the valid entry is created
            # 202 for a claim of a published entry: it waits for review with the entry
            assert post_json(client, path, API_CREATE[basename]).status_code in (201, 202)
            transaction.set_rollback(True)
        before, wrong = snapshot(), []
        for name, field in writable_fields(viewset).items():
            for value in invalid_values(field):
                response = post_json(client, path, {**API_CREATE[basename], name: value})
                if response.status_code != 400:
                    wrong.append(f"{name}={value!r:.40}: {response.status_code}")
                elif name not in api_error(response).get("fields", {}):
                    wrong.append(f"{name}={value!r:.40}: {api_error(response)}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.slow
    @pytest.mark.parametrize(("basename", "lookup"), [("actor", "nato"), ("casestudy", "isaf")])
    def test_updates_refuse_them_too(self, world, basename, lookup):
        """The same values in a partial update (PATCH) and a full one (PUT)."""
        viewset = VIEWSETS[basename]
        client = api_client(world)
        path = reverse(f"api:{basename}-detail", args=[lookup])
        etag = client.get(path)["ETag"]
        full = replacement(basename, viewset.model._default_manager.get(slug=lookup))
        with transaction.atomic():  # the control: the full representation is accepted
            data = json.dumps(full)
            response = client.put(path, data, content_type="application/json", HTTP_IF_MATCH=etag)
            assert response.status_code == 202, response.content  # waits for review
            transaction.set_rollback(True)
        before, wrong = snapshot(), []
        for name, field in writable_fields(viewset).items():
            for value in invalid_values(field):
                for method, body in [("patch", {name: value}), ("put", {**full, name: value})]:
                    response = getattr(client, method)(
                        path, json.dumps(body), content_type="application/json", HTTP_IF_MATCH=etag
                    )
                    if response.status_code != 400 or name not in api_error(response)["fields"]:
                        wrong.append(f"{method} {name}={value!r:.40}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/case-studies/"])
    def test_bodies_that_are_not_json_objects(self, world, path):
        client = writer_of(world, path.split("/")[3])
        bodies = {
            "truncated": b'{"slug": "x"',
            "empty": b"",
            "null": b"null",
            "a list": b"[]",
            "a number": b"1",
            "a string": b'"x"',
            "NaN": b'{"name": NaN}',
            "deep nesting": b"[" * 100_000 + b"]" * 100_000,
            "5,000 digits": b'{"name": 1' + b"0" * 5000 + b"}",
            "invalid UTF-8": b'{"name": "\xff\xfe"}',
            "NUL byte": b'{"name": "\x00"}',
        }
        before, wrong = snapshot(), []
        for label, body in bodies.items():
            response = client.post(path, body, content_type="application/json")
            if response.status_code != 400 or not api_error(response)["message"]:
                wrong.append(f"{label}: {response.status_code}")
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "",
        ]:
            response = client.post(path, b"name=x&slug=y", content_type=content_type)
            if response.status_code != 415:
                wrong.append(f"{content_type or 'no content type'}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    def test_preconditions_that_name_no_version(self, world):
        client = writer_of(world, "regions")
        before = snapshot()
        for if_match in ['"nope"', "garbage", "W/", '""', "x" * 10_000, "\u202e"]:
            response = client.patch(
                "/api/v1/regions/europe/",
                json.dumps({"summary": "Changed."}),
                content_type="application/json",
                HTTP_IF_MATCH=if_match,
            )
            assert response.status_code == 412, if_match
        assert snapshot() == before

    def test_payloads_are_stored_as_text_and_shown_escaped(self, world):
        """Markup and template syntax are words to the atlas: kept as given, never run."""
        payload = f"{XSS} {{{{ 7*7 }}}} {{% debug %}} ' OR 1=1 --"
        body = {"slug": "payload", "name": payload, "kind": "ngo", "summary": f"{payload} Zanzibar"}
        response = post_json(api_client(world), "/api/v1/actors/", body)
        assert response.status_code == 201
        assert response.json()["name"] == payload
        editor = session(world, "editor")
        for path in [
            "/actors/payload/",
            "/actors/",
            "/search/?q=zanzibar",
            "/admin/cooperation/actor/",
        ]:
            html = editor.get(path).content.decode()
            assert XSS not in html, path
            assert "&lt;script&gt;" in html, path  # (search marks the words it found)
        assert "{{ 7*7 }}" in editor.get("/actors/payload/").content.decode()


# The admin's forms -----------------------------------------------------------------------------


def admin_form_values(form_field):
    """Form input a field of an admin form must refuse, for its type."""
    from django import forms

    if isinstance(form_field, forms.BooleanField):
        return []  # a checkbox sent with any value is ticked
    values = ["a\x00b"]
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return [["abc"], [str(10**30)], ["999999"], ["-1"]]
    if isinstance(form_field, forms.ModelChoiceField):
        return ["abc", str(10**30), "999999", "-1", "1.5"]
    if isinstance(form_field, forms.IntegerField):
        values += [str(10**30), "1.5", "abc", *(["-1"] if form_field.min_value == 0 else [])]
    elif isinstance(form_field, forms.DateField):
        values += ["2026-02-30", "99999-01-01", "-1-01-01", "yesterday"]
    elif isinstance(form_field, forms.ChoiceField):
        values += ["no-such-choice", XSS]
    elif isinstance(form_field, forms.CharField) and form_field.max_length:
        values.append("x" * (form_field.max_length + 1))
    if isinstance(form_field, forms.SlugField):
        values += ["../../etc/passwd", XSS, "a b", HOSTILE["emoji"]]
    if isinstance(form_field, forms.URLField):
        values += ["javascript:alert(1)", "not a link"]
    return values


def form_errors(response):
    """The errors of the admin form a response shows again, by field."""
    adminform = response.context.get("adminform") if response.context else None
    return adminform.form.errors if adminform is not None else {}


def management_forms(*prefixes):
    return {
        f"{prefix}-{name}": "0" for prefix in prefixes for name in ("TOTAL_FORMS", "INITIAL_FORMS")
    }


ADMIN_FORMS = {
    "actor": (
        {"name": "New", "slug": "new", "kind": "ngo", "summary": "New."},
        ("memberships", "members"),
    ),
    "mechanism": ({"name": "New", "slug": "new", "category": "training", "summary": "N."}, ()),
    "casestudy": (
        {
            "title": "New",
            "slug": "new",
            "summary": "New.",
            "start_date": "2001-01-01",
            "start_precision": "day",
            "end_precision": "day",
            "outcome": "mixed",
        },
        ("participation_set", "mechanismuse_set", "challengeencounter_set"),
    ),
    "source": ({"title": "New", "slug": "new", "publisher": "P", "kind": "news"}, ()),
}


class TestAdminForms:
    @pytest.mark.slow
    @pytest.mark.parametrize("model_name", ADMIN_FORMS)
    def test_add_forms_name_the_field_they_refuse(self, world, model_name):
        model = next(m for m in apps.get_models() if m._meta.model_name == model_name)
        path = reverse(f"admin:{model._meta.app_label}_{model_name}_add")
        client = session(world, "admin")
        data, inlines = ADMIN_FORMS[model_name]
        valid = {**data, **management_forms(*inlines)}
        if model_name == "casestudy":
            valid["regions"] = [Region.objects.get(slug="europe").pk]
        with transaction.atomic():  # the control: the valid form creates the entry
            assert client.post(path, valid).status_code == 302
            assert model._default_manager.filter(slug="new").exists()
            transaction.set_rollback(True)
        fields = client.get(path).context["adminform"].form.fields
        before, wrong = snapshot(), []
        for name, form_field in fields.items():
            if name == "expected_version":
                continue
            for value in admin_form_values(form_field):
                response = client.post(path, {**valid, name: value})
                if response.status_code != 200 or name not in form_errors(response):
                    wrong.append(f"{name}={value!r:.40}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    @pytest.mark.slow
    def test_change_forms_too(self, world):
        client = session(world, "admin")
        actor = Actor.objects.get(slug="nato")
        path = reverse("admin:cooperation_actor_change", args=[actor.pk])
        valid = {"name": "NATO", "slug": "nato", "kind": actor.kind, "summary": "Changed."}
        valid |= {"expected_version": actor.version, **management_forms("memberships", "members")}
        before, wrong = snapshot(), []
        for name in ["name", "kind", "founded", "cow_code", "region", "website", "wikidata_qid"]:
            field = client.get(path).context["adminform"].form.fields[name]
            for value in admin_form_values(field):
                response = client.post(path, {**valid, name: value})
                if response.status_code != 200 or name not in form_errors(response):
                    wrong.append(f"{name}={value!r:.40}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    def test_inline_forms_name_the_field_they_refuse(self, world):
        """A participant typed in by hand (the autocomplete's value is an id) is an error on
        the participant, not a failure of the page that shows it."""
        client = session(world, "admin")
        data, inlines = ADMIN_FORMS["casestudy"]
        valid = {**data, **management_forms(*inlines)}
        valid |= {"regions": [Region.objects.get(slug="europe").pk]}
        valid |= {"participation_set-TOTAL_FORMS": "1", "participation_set-0-role": "lead"}
        valid |= {"participation_set-0-confidence": "high"}
        path = reverse("admin:casestudies_casestudy_add")
        before, wrong = snapshot(), []
        for name in ["participation_set-0-actor", "participation_set-0-sources"]:
            for value in ["abc", str(10**30), "1.5", "-1", "a\x00b"]:
                response = client.post(path, {**valid, name: value})
                formsets = response.context and response.context.get("inline_admin_formsets")
                errors = [form.errors for formset in formsets or [] for form in formset.formset]
                field = name.rsplit("-", 1)[1]
                if response.status_code != 200 or not any(field in error for error in errors):
                    wrong.append(f"{name}={value!r}: {response.status_code}")
        assert wrong == []
        assert snapshot() == before

    def test_autocomplete_searches_any_text(self, world):
        client = session(world, "admin")
        path = "/admin/autocomplete/?app_label=casestudies&model_name=casestudy"
        wrong = []
        for field_name in ["regions", "countries", "sources"]:
            for label, value, _ in encoded():
                response = client.get(f"{path}&field_name={field_name}&term={value}")
                if response.status_code != 200 or "results" not in response.json():
                    wrong.append(f"{field_name} {label}: {response.status_code}")
        assert wrong == []

    def test_admin_lists_turn_away_filters_the_database_cannot_hold(self, world):
        """A lookup in the query string that the database cannot compare is the admin's
        "incorrect lookup" (a redirect), never a server error."""
        client = session(world, "admin")
        wrong = []
        for path in ["/admin/cooperation/era/", "/admin/casestudies/casestudy/"]:
            for name in ["start_date__year", "start_date__month", "id__exact", "q", "status"]:
                for label, value, _ in encoded():
                    status = client.get(f"{path}?{name}={value}").status_code
                    if status not in (200, 302):
                        wrong.append(f"{path}?{name}= {label}: {status}")
        assert wrong == []


# Imports ---------------------------------------------------------------------------------------

BASE = {
    "slug": "icrc",
    "name": "ICRC",
    "kind": "ngo",
    "summary": "Humanitarian.",
    "status": "draft",
}


def actor(**fields):
    return [{"model": "cooperation.actor", "fields": {**BASE, **fields}}]


BAD_RECORDS = {
    "an account": [{"model": "auth.user", "fields": {"username": "x", "is_superuser": True}}],
    "a permission": [{"model": "auth.permission", "fields": {"codename": "x"}}],
    "a content type": [{"model": "contenttypes.contenttype", "fields": {"model": "x"}}],
    "the cache version": [{"model": "cooperation.contentversion", "fields": {"token": "x"}}],
    "a history row": [{"model": "cooperation.historicalactor", "fields": BASE}],
    "a number for the model": [{"model": 5, "fields": {}}],
    "a list for the model": [{"model": ["cooperation.actor"], "fields": {}}],
    "no fields": [{"model": "cooperation.actor"}],
    "fields as a list": [{"model": "cooperation.actor", "fields": []}],
    "a record that is a number": [1],
    "an unknown field": actor(colour="red"),
    "a bookkeeping field": actor(created_at="2020-01-01T00:00:00Z"),
    "a version that is not a number": actor(version="seven"),
    "an unknown status": actor(status="' OR 1=1 --"),
    "a number for text": actor(name=1),
    "a list for text": actor(name=["a"]),
    "an object for text": actor(name={"a": 1}),
    "true for text": actor(summary=True),
    "a NUL in text": actor(name="a\x00b"),
    "a lone surrogate": actor(name="\ud800"),
    "text too long": actor(name="x" * 201),
    "an unknown choice": actor(kind=XSS),
    "a fraction for a number": actor(atop_id=1.5),
    "true for a number": actor(atop_id=True),
    "a number past 64 bits": actor(atop_id=10**30),
    "an impossible date": actor(founded="2026-02-30"),
    "a reference as text": actor(region="europe"),
    "a reference to nothing": actor(region=["atlantis"]),
    "sources as text": actor(sources="isaf-report"),
    "a source past 64 bits": actor(sources=[10**30]),
    "a source that is not there": actor(sources=[["no-such-source"]]),
    "a pk that is text": [{"model": "cooperation.actor", "pk": "abc", "fields": BASE}],
    "a pk past 64 bits": [{"model": "cooperation.actor", "pk": 10**30, "fields": BASE}],
    "a path for a slug": actor(slug="../../etc/passwd"),
}
BAD_JSON_FILES = {
    "truncated": b'[{"model": "cooperation.actor"',
    "empty": b"",
    "not a list": b'{"model": "cooperation.actor", "fields": {}}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "5,000 digits": b'[{"model": "cooperation.actor", "fields": {"atop_id": 1'
    + b"0" * 5000
    + b"}}]",
    "Latin-1": '[{"model": "cooperation.actor", "fields": {"name": "Genève"}}]'.encode("latin-1"),
    "UTF-16": json.dumps(actor()).encode("utf-16"),
    "NUL bytes": b"\x00\x00\x00",
}
HEADER = "slug,name,kind,summary,status\n"
BAD_CSV_FILES = {
    "a 200,000-character cell": HEADER + "icrc," + "x" * 200_000 + ",ngo,S,draft\n",
    "more cells than the header": HEADER + "icrc,ICRC,ngo,S,draft,extra\n",
    "an unknown column": "slug,colour\nicrc,red\n",
    "a NUL in a cell": HEADER + "icrc,IC\x00RC,ngo,S,draft\n",
    "an unknown choice": HEADER + "icrc,ICRC,planet,S,draft\n",
    "an unknown status": HEADER + "icrc,ICRC,ngo,S,gone\n",
}


class TestImports:
    def test_the_command_refuses_bad_records_and_writes_nothing(self, world, tmp_path):
        path = tmp_path / "atlas.json"
        path.write_text(json.dumps(actor()))
        out = io.StringIO()
        call_command("import_atlas", str(path), "--dry-run", stdout=out)  # the control
        assert "1 created" in out.getvalue()
        before, wrong = snapshot(), []
        for label, records in BAD_RECORDS.items():
            path.write_text(json.dumps(records))
            err = io.StringIO()
            try:
                call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=err)
                wrong.append(f"{label}: imported")
            except CommandError as error:
                if "record 1" not in err.getvalue() + str(error):
                    wrong.append(f"{label}: {error} {err.getvalue()}")
        assert wrong == []
        assert snapshot() == before

    def test_the_command_refuses_files_it_cannot_read(self, world, tmp_path):
        files = {f"{label}.json": content for label, content in BAD_JSON_FILES.items()}
        for label, text in BAD_CSV_FILES.items():
            files[f"{label}/cooperation.actor.csv"] = text.encode()
        before, wrong = snapshot(), []
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(content)
            with pytest.raises(CommandError) as raised:
                call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=io.StringIO())
            if "Nothing" not in str(raised.value):
                wrong.append(f"{name}: {raised.value}")
        for args in [["--model", "auth.user", "x.csv"], ["--model", "nope", "x.csv"]]:
            (tmp_path / "x.csv").write_text("username\nevil\n")
            with pytest.raises(CommandError):
                call_command(
                    "import_atlas",
                    *[a.replace("x.csv", str(tmp_path / "x.csv")) for a in args],
                    stdout=io.StringIO(),
                )
        assert wrong == []
        assert snapshot() == before

    def test_the_admin_export_form_names_what_it_refuses(self, world):
        client = session(world, "admin")
        wrong = []
        for name in ["format", "model", "status"]:
            for label, _, decoded in encoded():
                query = {"format": "json", name: decoded}
                response = client.get(reverse("atlas-exchange"), query)
                form = response.context and response.context.get("export_form")
                named = response.status_code == 200 and bool(form) and name in form.errors
                # An empty model or status means every one; an empty format is still an error.
                if not named and (decoded.strip() or response.status_code != 200):
                    wrong.append(f"{name} {label}: {response.status_code}")
        assert wrong == []

    def test_the_admin_page_reports_what_it_refuses(self, world):
        client = session(world, "admin")
        path = reverse("atlas-exchange")
        uploads = [
            (f"{label}.json", json.dumps(records).encode(), "")
            for label, records in BAD_RECORDS.items()
        ]
        uploads += [(f"{label}.json", content, "") for label, content in BAD_JSON_FILES.items()]
        uploads += [
            (f"{label}.csv", text.encode(), "cooperation.actor")
            for label, text in BAD_CSV_FILES.items()
        ]
        uploads += [("no model.csv", HEADER.encode(), ""), ("x.csv", b"slug\nx\n", "auth.user")]
        before, wrong = snapshot(), []
        for name, content, model in uploads:
            upload = SimpleUploadedFile(name, content)
            response = client.post(path, {"file": upload, "model": model})
            report = response.context and response.context.get("report")
            refused = response.context and (
                response.context["import_form"].errors or (report and report.rejected)
            )
            if response.status_code != 200 or not refused:
                wrong.append(f"{name}: {response.status_code}")
            elif unescaped_xss(response):
                wrong.append(f"{name}: unescaped")
        assert wrong == []
        assert snapshot() == before
