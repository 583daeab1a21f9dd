"""The hostile values every way in is sent, and what the tests check the answers with: the
database's state, clients for each role, the body and the API's error."""

import hashlib
from http.cookies import SimpleCookie
from urllib.parse import quote

from django.apps import apps
from django.test import Client

from cooperation.models import EditingPresence

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
