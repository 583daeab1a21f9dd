"""Accounts (OWASP ASVS level 1): sign-in rate limiting on the admin and the API token endpoint
(django-axes), a new session at sign-in, sign-out and deactivation that end sessions and
tokens, password rules, token revocation, and the command that creates editor and reviewer
accounts (cooperation/accounts.py and its commands)."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cooperation.models import Status
from tests.factories import CaseStudyFactory
from tests.support.api import error_of
from tests.support.settings import settings_in_subprocess

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def draft():
    """A draft case study: the API shows it only to a signed-in editor."""
    return CaseStudyFactory(slug="secret-plan", status=Status.DRAFT)


# Rate limiting (django-axes)


def test_admin_sign_in_locks_out_at_the_fifth_failure(client, editor):
    for _ in range(4):
        response = sign_in(client, password="wrong guess")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    response = sign_in(client, password="wrong guess")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    response = sign_in(client)  # even the right password, now
    assert response.status_code == 429
    page = response.content.decode()
    assert "After 5 wrong passwords" in page
    assert "Try again in 15 minutes" in page
    assert response["Retry-After"] == "900"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not signed_in(client)


def test_lockout_holds_one_username_from_one_address(client, editor, django_user_model):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, password="wrong guess")
    assert sign_in(client).status_code == 429
    # The same person from another address, and another user from the same one, get in.
    assert sign_in(Client(), address="198.51.100.7").status_code == 302
    assert sign_in(Client(), username="other").status_code == 302


def test_a_forged_forwarded_address_does_not_reset_the_count(client, editor):
    for number in range(5):
        sign_in(client, password="wrong guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert sign_in(client, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_apart(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(client, password="wrong guess", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert sign_in(client, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another reader behind the same proxy (same REMOTE_ADDR) is not locked out.
    assert sign_in(Client(), HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_a_forwarded_value_that_is_no_address_falls_back(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(client, password="wrong guess", HTTP_X_FORWARDED_FOR="not-an-address")
    assert sign_in(client, HTTP_X_FORWARDED_FOR="not-an-address").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "192.0.2.1"  # the connection's own


def test_an_overlong_username_is_refused_not_an_error():
    # The token endpoint takes any length; the attempt is still recorded (cut short).
    response = token_sign_in(username="x" * 1000, password="wrong guess")
    assert response.status_code == 400
    assert AccessAttempt.objects.get().username == "x" * 150


def test_a_successful_sign_in_clears_the_count(client, editor):
    for _ in range(4):
        sign_in(client, password="wrong guess")
    assert sign_in(client).status_code == 302
    client.post("/admin/logout/")
    for _ in range(4):
        sign_in(client, password="wrong guess")
    assert sign_in(client).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(5):
        sign_in(client, password="wrong guess")
    assert sign_in(client).status_code == 429
    # Let the cool-off (and one more failure's restart of it) pass.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert sign_in(client).status_code == 302


def test_the_token_endpoint_counts_failures_and_answers_a_lockout_in_json(editor):
    for _ in range(4):
        response = token_sign_in(password="wrong guess")
        assert response.status_code == 400
    assert token_sign_in(password="wrong guess").status_code == 429
    response = token_sign_in()  # even the right password, now
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "locked_out"
    assert error["message"].endswith("try again in 15 minutes.")
    assert response["Retry-After"] == "900"
    assert not Token.objects.filter(user=editor).exists()


def test_admin_and_api_failures_add_up(client, editor):
    for _ in range(3):
        sign_in(client, password="wrong guess")
    for _ in range(2):
        token_sign_in(password="wrong guess")
    assert sign_in(client).status_code == 429
    assert token_sign_in().status_code == 429


def test_the_token_endpoint_still_works_for_the_right_password(editor):
    response = token_sign_in()
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=editor).key


def test_a_token_sign_in_clears_the_failures_before_it(editor):
    for _ in range(2):  # two rounds of mistakes, each ended by the right password
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert token_sign_in(password="wrong guess").status_code == 400
        assert token_sign_in().status_code == 200
    editor.refresh_from_db()
    assert editor.last_login is not None


def test_limit_and_cool_off_come_from_the_environment():
    defaults = settings_in_subprocess(
        {}, "[settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()]"
    )
    assert defaults == [5, 900.0]
    configured = settings_in_subprocess(
        {"AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "60"},
        "[settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()]",
    )
    assert configured == [3, 3600.0]


def test_a_lower_limit_takes_effect(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, password="wrong guess")
    assert sign_in(client).status_code == 429


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


# Passwords


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Vq7#mZ2", "too short. It must contain at least 8 characters"),
        ("password1", "too common"),
        ("trustno1", "too common"),
        ("48213795", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_by_the_command(password, message):
    with pytest.raises(CommandError, match=message):
        create_account("newcomer", "--role", "editor", stdin=password)
    assert not Group.objects.get(name="Editors").user_set.exists()


def test_the_admin_password_form_refuses_a_weak_password(admin_client, editor):
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        {"password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


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


# Creating accounts


def create_account(*args, stdin="a sound passphrase\n"):
    out = io.StringIO()
    call_command("create_account", *args, "--password-stdin", stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_creates_an_editor_who_can_sign_in(client, django_user_model):
    output = create_account("erin", "--role", "editor", "--email", "erin@example.org")
    assert "Created editor account “erin” (Editors)" in output
    erin = django_user_model.objects.get(username="erin")
    assert erin.is_staff and not erin.is_superuser
    assert erin.email == "erin@example.org"
    assert [group.name for group in erin.groups.all()] == ["Editors"]
    assert erin.has_perm("casestudies.change_casestudy")
    assert not erin.has_perm("casestudies.review_casestudy")
    assert sign_in(client, "erin", "a sound passphrase").status_code == 302
    assert signed_in(client)


def test_creates_a_reviewer(django_user_model):
    create_account("rita", "--role", "reviewer")
    rita = django_user_model.objects.get(username="rita")
    assert [group.name for group in rita.groups.all()] == ["Reviewers"]
    assert rita.has_perm("casestudies.review_casestudy")


def test_asks_for_the_password_twice_at_a_terminal(monkeypatch, django_user_model):
    answers = iter(["a sound passphrase", "a sound passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    terminal = io.StringIO()
    terminal.isatty = lambda: True
    call_command("create_account", "tom", "--role", "editor", stdin=terminal, stdout=io.StringIO())
    assert django_user_model.objects.get(username="tom").check_password("a sound passphrase")


def test_two_different_passwords_create_nothing(monkeypatch, django_user_model):
    answers = iter(["a sound passphrase", "a sound passphrase!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    terminal = io.StringIO()
    terminal.isatty = lambda: True
    with pytest.raises(CommandError, match="the two passwords differ"):
        call_command("create_account", "tom", "--role", "editor", stdin=terminal)
    assert not django_user_model.objects.filter(username="tom").exists()


def test_without_a_terminal_the_password_must_come_on_stdin(django_user_model):
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_account", "tom", "--role", "editor", stdin=io.StringIO(""))
    assert not django_user_model.objects.filter(username="tom").exists()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["Editor", "--role", "editor"], "a sound passphrase", "“Editor” exists"),
        (["newcomer", "--role", "admin"], "a sound passphrase", "invalid choice: 'admin'"),
        (["newcomer", "--role", "editor"], "", "held no password"),
        (["newcomer", "--role", "editor"], "newcomer1", "too similar to the username"),
        (["new comer!", "--role", "editor"], "a sound passphrase", "Enter a valid username"),
        (
            ["newcomer", "--role", "editor", "--email", "not-an-address"],
            "a sound passphrase",
            "Enter a valid email address",
        ),
    ],
)
def test_refuses_clearly_and_creates_nothing(editor, django_user_model, args, stdin, message):
    with pytest.raises(CommandError, match=message):
        create_account(*args, stdin=stdin)
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["editor"]
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


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
