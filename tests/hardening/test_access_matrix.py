"""Access control, walked exhaustively: every route of the URLconf, requested as the public, an
editor, a reviewer and an administrator, with the exact status each must get (the probes, in
tests/hardening/probes). What the public must never see is test_draft_leaks.py's.

The matrix is built from the URL resolver and the admin and API registries, and a test fails when
a route exists that no probe requests, so a new page cannot escape it. What each role may do is
stated in probes/roles.py (POLICY), independently of the data migration that grants it."""

import json
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from tests.hardening.probes import all_probes
from tests.hardening.probes.roles import ROLES
from tests.hardening.probes.routes import route_of, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


# Running a probe


def client_for(world, role, probe):
    """A client signed in as `role` with a token or a session, whichever the probe uses."""
    options = {"raise_request_exception": False, "enforce_csrf_checks": probe.csrf_checks}
    if probe.auth == "token":
        token = world.tokens.get(role)
        return Client(**options, **({"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}))
    client = Client(**options)
    if role in world.cookies:
        client.cookies = SimpleCookie(world.cookies[role])
    return client


def perform(probe, role, world):
    """The status `role` gets, and the probe's effect, in a savepoint rolled back afterwards so
    that every role meets the same data."""
    client = client_for(world, role, probe)
    headers = {}
    if probe.if_match:
        read_at = probe.if_match if isinstance(probe.if_match, str) else probe.path
        headers["HTTP_IF_MATCH"] = client.get(read_at).headers.get("ETag") or '"none"'
    if probe.body is None:
        kwargs = {}
    elif probe.as_json or (probe.as_json is None and probe.auth == "token"):
        kwargs = {"data": json.dumps(probe.body), "content_type": "application/json"}
    else:
        kwargs = {"data": probe.body}
    with transaction.atomic():
        response = getattr(client, probe.method.lower())(probe.path, **kwargs, **headers)
        effect = probe.effect[0]() if probe.effect else None
        transaction.set_rollback(True)
    return response, effect


# The tests --------------------------------------------------------------------------------------


def probe_ids(world):
    probes = all_probes(world)
    ids = {}
    for probe in probes:
        key = probe.id
        while key in ids:
            key += "'"
        ids[key] = probe
    return ids


@pytest.fixture(scope="class")
def probes(world):
    return probe_ids(world)


class TestEveryRoute:
    def test_every_route_is_in_the_matrix(self, probes):
        """A route no probe requests fails here: give it its expected statuses per role."""
        covered = {route_of(probe.path) for probe in probes.values()}
        routes = {pattern.route for pattern in walk(get_resolver().url_patterns)}
        assert sorted(routes - covered) == []

    def test_every_probe_states_every_role(self, probes):
        assert [key for key, probe in probes.items() if set(probe.expect) != set(ROLES)] == []

    @pytest.mark.slow
    @pytest.mark.parametrize("role", ROLES)
    def test_answers_each_role_with_the_exact_status(self, world, probes, role):
        wrong = []
        for key, probe in probes.items():
            response, effect = perform(probe, role, world)
            if response.status_code != probe.expect[role]:
                wrong.append(f"{key}: {response.status_code}, expected {probe.expect[role]}")
            elif probe.effect and effect != probe.effect[1][role]:
                wrong.append(f"{key}: left {effect!r}, expected {probe.effect[1][role]!r}")
        assert not wrong, "\n".join(["", *wrong])
