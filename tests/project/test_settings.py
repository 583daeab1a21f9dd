"""The settings read their environment variables through one helper: a value that is not what
a setting needs stops the start with a message naming the variable, instead of a traceback or a
silent default."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from cooperation.project.environment import env_bool, env_int, env_list
from tests.support.settings import settings_in_subprocess


def start_with(**environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("AXES_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="cooperation.project.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number of 1 or more"),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be a whole number of 1 or more"),
        ("CONN_MAX_AGE", "-5", "CONN_MAX_AGE must be a whole number of 0 or more, not '-5'"),
        ("DEBUG", "maybe", "DEBUG must be true or false (1/0, yes/no, on/off), not 'maybe'"),
    ],
)
def test_a_bad_value_stops_the_start_and_names_the_variable(name, value, message):
    started = start_with(**{name: value})
    assert started.returncode != 0
    assert message in started.stderr


def test_values_are_read_as_documented(monkeypatch):
    monkeypatch.setenv("ATLAS_TEST_FLAG", " Yes ")
    monkeypatch.setenv("ATLAS_TEST_NUMBER", "42")
    monkeypatch.setenv("ATLAS_TEST_LIST", "atlas.example.org, ,www.atlas.example.org,")
    assert env_bool("ATLAS_TEST_FLAG", False) is True
    assert env_bool("ATLAS_TEST_UNSET", True) is True
    assert env_int("ATLAS_TEST_NUMBER", 0) == 42
    assert env_list("ATLAS_TEST_LIST", []) == ["atlas.example.org", "www.atlas.example.org"]


def test_production_keeps_database_connections_between_requests(monkeypatch):
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    production = {"DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "atlas.example.org"}
    kept = "settings.DATABASES['default']['CONN_MAX_AGE']"
    assert settings_in_subprocess(production, kept) == 60
    assert settings_in_subprocess({"DEBUG": "true"}, kept) == 0  # runserver: a thread a request
    assert settings_in_subprocess({**production, "CONN_MAX_AGE": "5"}, kept) == 5
