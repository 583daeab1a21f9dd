"""The cooperation network tells cooperation from conflict (issue 22): actors on the same side of a
case are linked as cooperating; an adversary and those it is opposed by are linked apart, as
conflict, in the drawing, its table, its CSV and the API."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def links_csv(client):
    response = client.get(reverse("casestudies:network-csv", args=["links"]))
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_adversary_is_never_drawn_as_a_partner(client, atlas):
    rows = links_csv(client)
    pairs = {
        (row["Actor"], row["Linked actor"]): row["Relation"]
        for row in rows
        if "Al-Qaida" in (row["Actor"], row["Linked actor"])
    }
    assert pairs[("Al-Qaida", "United States of America")] == "conflict (adversary)"
    assert set(pairs.values()) == {"conflict (adversary)"}

    api = client.get("/api/v1/stats/network/").json()
    by_pair = {(link["source"], link["target"]): link for link in api["links"]}
    assert by_pair[("al-qaida", "united-states")]["relation"] == "conflict"
    assert all(
        link["relation"] == "conflict"
        for link in api["links"]
        if "al-qaida" in (link["source"], link["target"])
    )

    page = client.get(reverse("casestudies:network")).content.decode()
    assert 'class="conflict"' in page and "one is the other&#x27;s adversary" in page
