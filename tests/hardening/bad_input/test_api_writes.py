"""Every API write: values of the wrong kind in every field, bodies that are not JSON objects,
preconditions that name no version, and payloads stored as text."""

import json

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework import serializers as drf

from cooperation.project.api_urls import router
from tests.hardening.bad_input.corpus import (
    HOSTILE,
    XSS,
    api_client,
    api_error,
    session,
    snapshot,
    writer_of,
)
from tests.support.world import API_CREATE, replacement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


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
