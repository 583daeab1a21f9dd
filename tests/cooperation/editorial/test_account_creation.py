"""Creating editor and reviewer accounts with the command (cooperation/accounts.py), and the
password rules it and the admin apply."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.support.accounts import PASSWORD, create_account, sign_in, signed_in

pytestmark = pytest.mark.django_db


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


# Creating accounts


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
