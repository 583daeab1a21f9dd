"""The insight pages' tables and CSVs, which agree with the charts, and the pages themselves:
links to the case studies counted, escaped labels, no drafts for the public, valid and
accessible HTML, and their URLs."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import resolve, reverse

from casestudies.insight.views.statistics import StatisticsCSVView
from casestudies.models import CaseStudy
from tests.casestudies.insight.reading import (
    SVG,
    assert_accessible_chart,
    chart,
    csv_rows,
    marks,
    table_rows,
)
from tests.support.html import assert_well_formed_page

pytestmark = pytest.mark.django_db


STATISTICS_CHARTS = {
    # chart: (marks, csv rows after the header)
    "eras": (4, [["Cold War", "1"], ["Post-9/11", "1"], ["Contemporary", "1"], ["No era", "1"]]),
    "regions": (3, [["Europe", "2"], ["Middle East", "2"], ["Asia", "1"]]),
    "mechanisms": (
        3,
        [["Intelligence sharing", "3"], ["Joint operations", "2"], ["Training", "1"]],
    ),
    "matrix": (
        6,
        [
            ["Intelligence sharing", "1", "2"],
            ["Joint operations", "1", "1"],
            ["Training", "1", "0"],
        ],
    ),
    "outcomes-by-mechanism": (
        6,  # the parts that are not empty: 3 + 2 + 1
        [
            ["Intelligence sharing", "1", "1", "1", "0", "3"],
            ["Joint operations", "1", "0", "0", "1", "2"],
            ["Training", "0", "0", "0", "1", "1"],
        ],
    ),
}


@pytest.mark.parametrize("name", STATISTICS_CHARTS)
def test_statistics_charts_tables_and_csvs_agree(client, insight_atlas, name):
    response = client.get(reverse("casestudies:statistics"))
    html = response.content.decode()
    count, expected = STATISTICS_CHARTS[name]
    svg = chart(html, f"chart-{name}")
    (shown,) = [c for c in response.context["charts"] if c.id == f"chart-{name}"]
    assert_accessible_chart(svg, shown.title)
    assert svg.get("role") == "img" and not list(svg.iter(f"{SVG}a"))
    assert len(marks(svg)) == count
    assert f'<h2 id="chart-{name}-heading">{shown.title}</h2>' in html
    table = table_rows(html, f"chart-{name}-table")
    assert f'<th scope="col">{table[0][0]}</th>' in html
    downloaded = csv_rows(client.get(reverse("casestudies:statistics-csv", args=[name])))
    assert downloaded == table
    assert downloaded[1:] == expected
    assert f'href="{shown.csv_url}"' in html


def test_statistics_numbers_link_to_the_case_studies_they_count(client, insight_atlas):
    html = client.get(reverse("casestudies:statistics"), {"region": "europe"}).content.decode()
    assert 'href="/case-studies/?region=europe&amp;era=post-9-11">1</a>' in html
    assert 'href="/case-studies/?region=europe&amp;mechanism=intel&amp;challenge=trust">2<' in html
    # Another region is not a narrowing of Europe's case studies: no link to a wrong list.
    assert "region=middle-east" not in html


def test_timeline_and_network_csvs_match_their_tables(client, insight_atlas):
    html = client.get(reverse("casestudies:timeline"), {"region": "europe"}).content.decode()
    downloaded = csv_rows(
        client.get(reverse("casestudies:timeline-csv", args=["case-studies"]), {"region": "europe"})
    )
    assert downloaded == table_rows(html, "timeline-table")
    assert downloaded[1:] == [
        ["Alpha", "1985-01-01", "1990-01-01", "Cold War", "Europe", "Success"],
        ["Bravo", "2003-05-01", "2010-01-01", "Post-9/11", "Europe; Middle East", "Mixed"],
    ]
    html = client.get(reverse("casestudies:network")).content.decode()
    actors = csv_rows(client.get(reverse("casestudies:network-csv", args=["actors"])))
    assert actors == table_rows(html, "network-actors")
    assert actors[1:] == [
        ["United States", "State", "3", "3"],
        ["France", "State", "2", "1"],
        ["United Kingdom", "State", "2", "2"],
        ["NATO", "Military alliance", "1", "2"],
    ]
    links = csv_rows(client.get(reverse("casestudies:network-csv", args=["links"])))
    assert links == table_rows(html, "network-links")
    assert links[1] == ["United Kingdom", "United States", "cooperation", "2", "no"]


def test_labels_are_escaped(client, insight_atlas):
    case = CaseStudy.objects.get(slug="alpha")
    case.title = 'Alpha <script>alert("x")</script> & co'
    case.save()
    for name in ["timeline", "statistics", "network"]:
        html = client.get(reverse(f"casestudies:{name}")).content.decode()
        assert "<script>" not in html
    svg = chart(client.get(reverse("casestudies:timeline")).content.decode(), "timeline-chart")
    assert any(case.title in "".join(text.itertext()) for text in svg.iter(f"{SVG}title"))


def test_drafts_are_not_shown_to_the_public(client, insight_atlas):
    for name in ["timeline", "network", "statistics"]:
        html = client.get(reverse(f"casestudies:{name}")).content.decode()
        assert "Echo" not in html and "Secret channel" not in html


def test_editors_see_drafts_and_are_not_cached(client, insight_atlas, editor):
    client.force_login(editor)
    response = client.get(reverse("casestudies:timeline"))
    assert "/case-studies/echo/" in response.content.decode()
    assert "private" in response["Cache-Control"]
    response = client.get(reverse("casestudies:statistics-csv", args=["mechanisms"]))
    assert ["Secret channel", "1"] in csv_rows(response)
    assert "private" in response["Cache-Control"]


def test_empty_selection(client, insight_atlas):
    for name in ["timeline", "network", "statistics"]:
        response = client.get(reverse(f"casestudies:{name}"), {"q": "zzyzx"})
        assert response.status_code == 200
        assert "<svg" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def test_invalid_filters_are_reported_and_ignored(client, insight_atlas):
    response = client.get(reverse("casestudies:statistics"), {"region": "atlantis"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
    assert response.context["total"] == 4


def test_list_links_to_the_insight_pages_of_its_filter(client, insight_atlas):
    html = client.get(reverse("casestudies:list"), {"region": "europe"}).content.decode()
    for name in ["timeline", "network", "statistics"]:
        assert f'href="/case-studies/{name}/?region=europe"' in html


INSIGHT_PAGES = [
    "/case-studies/timeline/",
    "/case-studies/timeline/?colour_by=region&region=europe&mechanism=intel&year_from=1990",
    "/case-studies/network/",
    "/case-studies/network/?actor_kind=state&q=alpha",
    "/case-studies/statistics/",
    "/case-studies/statistics/?era=post-9-11&outcome=mixed",
    "/case-studies/statistics/?q=no-such-case",
]


@pytest.mark.parametrize("url", INSIGHT_PAGES)
def test_page_is_valid_accessible_html(client, insight_atlas, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert_well_formed_page(html)
    for table in re.findall(r"<table.*?</table>", html, re.DOTALL):
        assert "<caption" in table and 'scope="col"' in table
    for svg_id in re.findall(r'<svg[^>]*\sid="([^"]+)"', html):
        chart(html, svg_id)


def test_url_names_reverse_and_resolve():
    for name, args, url in [
        ("casestudies:timeline", [], "/case-studies/timeline/"),
        ("casestudies:network", [], "/case-studies/network/"),
        ("casestudies:statistics", [], "/case-studies/statistics/"),
        ("casestudies:timeline-csv", ["case-studies"], "/case-studies/timeline/case-studies.csv"),
        ("casestudies:network-csv", ["links"], "/case-studies/network/links.csv"),
        ("casestudies:statistics-csv", ["matrix"], "/case-studies/statistics/matrix.csv"),
    ]:
        assert reverse(name, args=args) == url
        assert resolve(url).view_name == name


def test_unknown_chart_is_not_found(client, insight_atlas, rf):
    assert client.get("/case-studies/statistics/nothing.csv").status_code == 404
    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        StatisticsCSVView.as_view()(request, chart="nothing")
