"""Signing in as the tests' editor (the `editor` fixture), in the admin and for an API token, and
creating accounts with the command."""

import io

from django.core.management import call_command
from rest_framework.test import APIClient

PASSWORD = "correct horse battery"  # the `editor` fixture's
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username="editor", password=PASSWORD, address="192.0.2.1", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def signed_in(client):
    """Whether the client's session is signed in, as the admin sees it."""
    return client.get("/admin/").status_code == 200


def token_sign_in(username="editor", password=PASSWORD, address="192.0.2.1"):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def create_account(*args, stdin="a sound passphrase\n"):
    out = io.StringIO()
    call_command("create_account", *args, "--password-stdin", stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()
