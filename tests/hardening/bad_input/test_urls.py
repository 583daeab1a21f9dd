"""Slugs and ids in URLs that name nothing, on the site and in the admin."""

import pytest
from django.test import Client

from cooperation.models import Actor, Source
from tests.hardening.bad_input.corpus import api_client, encoded, session, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


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
