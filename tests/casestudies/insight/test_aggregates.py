"""The insight pages' aggregates (timeline, cooperation network, statistics) against hand-counted
data: drafts never counted for the public, editors' counts with them, and the list's filters."""

import datetime

import pytest
from django.urls import reverse

from casestudies.insight import network as network_data
from casestudies.insight import statistics as statistics_data
from casestudies.insight import timeline as timeline_data
from casestudies.models import CaseStudy

pytestmark = pytest.mark.django_db


def selection(user=None, **filters):
    """The case studies the shared filters select, as the pages get them."""
    from casestudies.filters import CaseStudyFilterSet

    filterset = CaseStudyFilterSet(filters, queryset=CaseStudy.objects.visible_to(user))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def tallies(counts):
    return {row.slug: row.count for row in counts.rows}


# The aggregates, against hand counts


def test_eras_count_each_case_study_in_the_era_it_began(insight_atlas):
    counts = statistics_data.eras(selection(), None)
    assert [row.slug for row in counts.rows] == ["cold-war", "post-9-11", "contemporary"]
    assert tallies(counts) == {"cold-war": 1, "post-9-11": 1, "contemporary": 1}
    assert (counts.total, counts.others) == (4, 1)  # delta began between two eras


def test_regions_count_a_case_study_in_each_of_its_regions(insight_atlas):
    counts = statistics_data.regions(selection(), None)
    assert [(row.slug, row.count) for row in counts.rows] == [
        ("europe", 2),
        ("middle-east", 2),
        ("asia", 1),
    ]
    assert counts.total == 4
    assert counts.rows[0].url == "/regions/europe/"


def test_mechanisms_by_frequency_leave_out_drafts_for_the_public(insight_atlas):
    counts = statistics_data.mechanisms(selection(), None)
    assert [(row.slug, row.count) for row in counts.rows] == [
        ("intel", 3),
        ("ops", 2),
        ("training", 1),
    ]
    assert counts.others == 0
    fewer = statistics_data.mechanisms(selection(), None, limit=2)
    assert [row.slug for row in fewer.rows] == ["intel", "ops"]
    assert fewer.others == 1


def test_matrix_counts_case_studies_with_both(insight_atlas):
    matrix = statistics_data.matrix(selection(), None)
    assert [row.slug for row in matrix.mechanisms] == ["intel", "ops", "training"]
    assert [row.slug for row in matrix.challenges] == ["law", "trust"]  # 2 each, by name
    assert [(row.slug, counts) for row, counts in matrix.rows()] == [
        ("intel", [1, 2]),  # law: bravo; trust: alpha, bravo
        ("ops", [1, 1]),  # law: charlie; trust: alpha
        ("training", [1, 0]),  # law: charlie
    ]
    assert (matrix.mechanisms_total, matrix.challenges_total) == (3, 2)


def test_outcomes_by_mechanism(insight_atlas):
    result = statistics_data.outcomes_by_mechanism(selection(), None)
    assert [
        (row.mechanism.slug, row.mechanism.count, {v: n for v, _, n in row.outcomes})
        for row in result.rows
    ] == [
        ("intel", 3, {"success": 1, "mixed": 1, "failure": 1, "too_early": 0}),
        ("ops", 2, {"success": 1, "mixed": 0, "failure": 0, "too_early": 1}),
        ("training", 1, {"success": 0, "mixed": 0, "failure": 0, "too_early": 1}),
    ]
    assert result.others == 0


def test_timeline_draws_the_most_recent_oldest_first(insight_atlas):
    today = datetime.date(2026, 6, 1)
    timeline = timeline_data.timeline(selection(), None, today=today)
    assert [bar.slug for bar in timeline.bars] == ["alpha", "delta", "bravo", "charlie"]
    assert (timeline.total, timeline.not_drawn) == (4, 0)
    charlie = timeline.bars[-1]
    assert charlie.ongoing and charlie.era == ("contemporary", "Contemporary")
    assert timeline.bars[1].era == timeline_data.NO_ERA
    assert timeline.bars[2].regions == (("europe", "Europe"), ("middle-east", "Middle East"))
    assert timeline.bars[2].group("region") == timeline_data.SEVERAL_REGIONS
    assert timeline.bars[0].group("outcome") == ("success", "Success")
    bounded = timeline_data.timeline(selection(), None, limit=2, today=today)
    assert [bar.slug for bar in bounded.bars] == ["bravo", "charlie"]
    assert (bounded.total, bounded.not_drawn) == (4, 2)


def test_network_links_actors_by_shared_case_studies_and_membership(insight_atlas):
    network = network_data.network(selection(), None)
    assert [(node.slug, node.case_studies) for node in network.nodes] == [
        ("us", 3),
        ("france", 2),
        ("uk", 2),
        ("nato", 1),
    ]
    assert network.total_actors == 4
    links = {
        (link.source, link.target): (link.case_studies, link.membership) for link in network.links
    }
    assert links == {
        ("uk", "us"): (2, False),  # alpha, bravo (each pair in the order of their names)
        ("nato", "us"): (1, True),  # alpha; and the US is a member of NATO
        ("nato", "uk"): (1, True),
        ("france", "us"): (1, False),  # charlie
    }
    assert network.degree() == {"us": 3, "france": 1, "uk": 2, "nato": 2}
    capped = network_data.network(selection(), None, limit=2)
    assert [node.slug for node in capped.nodes] == ["us", "france"]
    assert capped.not_drawn == 2
    assert [(link.source, link.target) for link in capped.links] == [("france", "us")]


def test_editors_also_count_drafts(insight_atlas, editor):
    cases = selection(editor)
    assert tallies(statistics_data.eras(cases, editor))["contemporary"] == 2
    assert {row.slug: row.count for row in statistics_data.mechanisms(cases, editor).rows} == {
        "intel": 4,
        "training": 2,
        "ops": 2,
        "secret": 1,
    }
    network = network_data.network(cases, editor)
    assert {(link.source, link.target): link.case_studies for link in network.links}[
        ("nato", "us")
    ] == 2
    assert timeline_data.timeline(cases, editor).total == 5


def test_filters_select_the_same_case_studies_as_the_list(client, insight_atlas):
    query = {"region": "middle-east", "mechanism": ["intel", "ops"]}
    listed = client.get(reverse("casestudies:list"), query).context["object_list"]
    timeline = client.get(reverse("casestudies:timeline"), query).context["timeline"]
    assert sorted(case.slug for case in listed) == ["bravo", "charlie"]
    assert sorted(bar.slug for bar in timeline.bars) == ["bravo", "charlie"]
    statistics = client.get(reverse("casestudies:statistics"), query).context
    assert statistics["total"] == 2
    (eras,) = [chart for chart in statistics["charts"] if chart.id == "chart-eras"]
    assert [[cell.value for cell in row] for row in eras.table.rows] == [
        ["Cold War", 0],
        ["Post-9/11", 1],
        ["Contemporary", 1],
    ]
    network = client.get(reverse("casestudies:network"), query).context["network"]
    assert [node.slug for node in network.nodes] == ["us", "france", "uk"]
    assert network.total_actors == 3
