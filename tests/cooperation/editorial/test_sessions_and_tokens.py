"""Sessions and API tokens (OWASP ASVS level 1): a new session at sign-in, sign-out and
deactivation that end sessions and tokens, token revocation, and where a sign-in lands."""

import io

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cooperation.models import Status
from tests.factories import CaseStudyFactory
from tests.support.accounts import sign_in, signed_in, token_sign_in
from tests.support.api import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A draft case study: the API shows it only to a signed-in editor."""
    return CaseStudyFactory(slug="secret-plan", status=Status.DRAFT)


# Sessions


def test_signing_in_issues_a_new_session_key(client, editor):
    session = client.session  # an anonymous session, as a fixation attack would plant
    session["planted"] = True
    session.save()
    planted = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == planted
    assert sign_in(client).status_code == 302
    issued = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert issued != planted
    assert not Session.objects.filter(session_key=planted).exists()
    assert signed_in(client)


def test_signing_out_ends_the_session(client, editor):
    sign_in(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    copy = Client()  # someone holding a copy of the cookie
    copy.cookies[settings.SESSION_COOKIE_NAME] = key
    assert signed_in(copy)
    client.post("/admin/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not signed_in(copy)


def deactivate_in_the_admin(admin_client, user):
    """Untick "Active" on the user's admin page and save, leaving the rest as it is."""
    joined = timezone.localtime(user.date_joined)
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_staff": "on",
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_deactivating_a_user_ends_their_sessions_and_token(admin_client, editor, draft):
    browser = Client()
    sign_in(browser)
    token = Token.objects.create(user=editor)
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_path = "/api/v1/case-studies/secret-plan/"
    assert signed_in(browser)
    assert browser.get(api_path, HTTP_ACCEPT="application/json").status_code == 200
    assert token_client.get(api_path).status_code == 200

    deactivate_in_the_admin(admin_client, editor)

    assert not signed_in(browser)
    assert browser.get(api_path, HTTP_ACCEPT="application/json").status_code == 404
    response = token_client.get(api_path)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    # Reactivating the account brings neither back: the user signs in afresh.
    editor.refresh_from_db()
    editor.is_active = True
    editor.save()
    assert not signed_in(browser)
    assert token_client.get(api_path).status_code == 401


def test_an_inactive_user_cannot_sign_in(client, editor):
    editor.is_active = False
    editor.save()
    assert sign_in(client).status_code == 200
    assert token_sign_in().status_code == 400


# API tokens


def test_a_revoked_token_gets_401_in_the_api_error_shape(editor, draft):
    token = token_sign_in().json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/case-studies/secret-plan/").status_code == 200
    out = io.StringIO()
    call_command("revoke_api_token", "editor", stdout=out)
    assert "Revoked the API token of “editor”" in out.getvalue()
    response = client.get("/api/v1/case-studies/secret-plan/")
    assert response.status_code == 401
    assert error_of(response) == {
        "status": 401,
        "code": "authentication_failed",
        "message": "Invalid token.",
    }
    assert response["WWW-Authenticate"] == "Token"
    # Signing in again issues a new, different token.
    assert token_sign_in().json()["token"] != token


def test_revoking_a_token_of_nobody_says_so(editor):
    out = io.StringIO()
    call_command("revoke_api_token", "editor", stdout=out)
    assert "has no API token" in out.getvalue()
    with pytest.raises(CommandError, match="No user named “ghost”"):
        call_command("revoke_api_token", "ghost")


def test_an_administrator_revokes_a_token_in_the_admin(admin_client, editor):
    token = Token.objects.create(user=editor)
    listing = admin_client.get(reverse("admin:authtoken_tokenproxy_changelist"))
    assert "editor" in listing.content.decode()
    response = admin_client.post(
        reverse("admin:authtoken_tokenproxy_delete", args=[editor.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=token.key).exists()


# Where a sign-in lands


@pytest.mark.parametrize(
    "next_page", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_a_sign_in_asked_to_go_off_site_lands_in_the_admin(client, editor, next_page):
    response = client.post(
        f"/admin/login/?next={next_page}",
        {"username": "editor", "password": "correct horse battery", "next": next_page},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_sign_in_asked_for_an_admin_page_goes_there(client, editor):
    next_page = "/admin/casestudies/casestudy/"
    response = client.post(
        f"/admin/login/?next={next_page}",
        {"username": "editor", "password": "correct horse battery", "next": next_page},
    )
    assert response["Location"] == next_page
