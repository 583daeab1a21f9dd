"""The insight pages' charts: one linked SVG mark per item in well-formed, accessible SVG, the
timeline's colours, and what a chart says it leaves out."""

from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse

from casestudies.insight import network as network_data
from casestudies.insight import timeline as timeline_data
from cooperation.models import Actor
from tests.casestudies.insight.reading import SVG, assert_accessible_chart, chart, marks

pytestmark = pytest.mark.django_db


def test_timeline_has_one_linked_bar_per_case_study(client, insight_atlas):
    response = client.get(reverse("casestudies:timeline"))
    html = response.content.decode()
    svg = chart(html, "timeline-chart")
    assert_accessible_chart(svg, response.context["chart"].title)
    bars = marks(svg)
    assert len(bars) == 4 and all(bar.tag == f"{SVG}rect" for bar in bars)
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links == [f"/case-studies/{slug}/" for slug in ["alpha", "delta", "bravo", "charlie"]]
    assert len(svg.findall(f".//{SVG}*[@class='era']")) == 3  # the eras as bands
    assert len(svg.findall(f".//{SVG}*[@class='ongoing']")) == 1  # charlie runs to today
    assert 'aria-current="true">Era</a>' in html


@pytest.mark.parametrize("colour_by", ["era", "region", "outcome", "nonsense"])
def test_timeline_colours_by_choice(client, insight_atlas, colour_by):
    response = client.get(reverse("casestudies:timeline"), {"colour_by": colour_by})
    expected = colour_by if colour_by in timeline_data.COLOUR_BY else "era"
    label = timeline_data.COLOUR_BY[expected]
    svg = chart(response.content.decode(), "timeline-chart")
    assert f"Colour and pattern: {label}" in ElementTree.tostring(svg, encoding="unicode")
    fills = {bar.get("fill") for bar in marks(svg)}
    assert len(fills) == 4  # eras: 3 and none; regions: 3 and several; outcomes: 4


def test_timeline_says_what_it_does_not_draw(client, insight_atlas, monkeypatch):
    monkeypatch.setattr(timeline_data, "TIMELINE_LIMIT", 2)
    response = client.get(reverse("casestudies:timeline"), {"outcome": ["mixed", "too_early"]})
    assert len(marks(chart(response.content.decode(), "timeline-chart"))) == 2
    response = client.get(reverse("casestudies:timeline"))
    html = response.content.decode()
    assert len(marks(chart(html, "timeline-chart"))) == 2
    assert "the 2 earlier ones are not drawn" in html
    assert 'href="/case-studies/">Narrow the selection</a>' in html


def test_network_has_one_linked_circle_per_actor(client, insight_atlas, monkeypatch):
    response = client.get(reverse("casestudies:network"))
    svg = chart(response.content.decode(), "network-chart")
    assert_accessible_chart(svg, "Cooperation network of 4 actors")
    nodes = marks(svg)
    assert len(nodes) == 4 and all(node.tag == f"{SVG}circle" for node in nodes)
    assert sorted(a.get("href") for a in svg.iter(f"{SVG}a")) == [
        Actor.objects.get(slug=slug).get_absolute_url() for slug in ["france", "nato", "uk", "us"]
    ]
    assert len(svg.findall(f".//{SVG}line[@class='link']")) == 4
    # The layout is seeded: the same data draws the same picture.
    assert client.get(reverse("casestudies:network")).content == response.content
    monkeypatch.setattr(network_data, "NETWORK_LIMIT", 2)
    cache.clear()  # the public page cache holds the page drawn before
    html = client.get(reverse("casestudies:network")).content.decode()
    assert len(marks(chart(html, "network-chart"))) == 2
    assert "2 other actors are not drawn" in html
