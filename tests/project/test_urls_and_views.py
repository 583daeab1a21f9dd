"""Project-wide checks: migrations match the models, URL names resolve, settings refuse an
unsafe production configuration."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from casestudies import views as casestudy_views
from cooperation import views
from cooperation.project.views import EraDetailView, RegionDetailView


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("name", "args", "path", "view_class"),
    [
        ("casestudies:list", [], "/case-studies/", casestudy_views.CaseStudyListView),
        (
            "casestudies:detail",
            ["isaf"],
            "/case-studies/isaf/",
            casestudy_views.CaseStudyDetailView,
        ),
        ("cooperation:actor-detail", ["nato"], "/actors/nato/", views.ActorDetailView),
        ("cooperation:mechanism-list", [], "/mechanisms/", views.MechanismListView),
        ("cooperation:challenge-detail", ["x"], "/challenges/x/", views.ChallengeDetailView),
        ("era-detail", ["cold-war"], "/eras/cold-war/", EraDetailView),
        ("region-detail", ["europe"], "/regions/europe/", RegionDetailView),
        ("cooperation:source-detail", ["un-1386"], "/sources/un-1386/", views.SourceDetailView),
    ],
)
def test_url_names_reverse_and_resolve(name, args, path, view_class):
    assert reverse(name, args=args) == path
    assert resolve(path).func.view_class is view_class


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "atlas.example.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_secret_key_and_hosts(environment, message):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
