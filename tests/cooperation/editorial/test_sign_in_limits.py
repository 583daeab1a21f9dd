"""Sign-in rate limiting (OWASP ASVS level 1) on the admin and the API token endpoint, with
django-axes: the lockout, whose address counts, and the limits' settings."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.support.accounts import PASSWORD, sign_in, signed_in, token_sign_in
from tests.support.api import error_of
from tests.support.settings import settings_in_subprocess

pytestmark = pytest.mark.django_db


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
