"""The insight pages (timeline, cooperation network, statistics), their CSVs and the stats API:
the aggregates against hand-counted data, drafts never counted for the public, one SVG mark per
item in well-formed SVG, the list's filters, CSVs that match the tables, valid HTML, and a fixed
number of queries however many case studies there are."""

import csv
import datetime
import io
import re
from xml.etree import ElementTree

import html5lib
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404
from django.urls import include, path, resolve, reverse

from casestudies.insight import network as network_data
from casestudies.insight import statistics as statistics_data
from casestudies.insight import timeline as timeline_data
from casestudies.insight.views.statistics import StatisticsCSVView
from casestudies.models import CaseStudy
from cooperation.models import Actor, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    EraFactory,
    MechanismFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    StateFactory,
)
from tests.support.html import assert_well_formed_page

pytestmark = pytest.mark.django_db

# The API's URLconf mounts the stats endpoints; these tests mount them the same way.
urlpatterns = [
    path("api/v1/stats/", include("casestudies.api.stats")),
    path("", include("cooperation.project.urls")),
]
with_api = pytest.mark.urls(__name__)

SVG = "{http://www.w3.org/2000/svg}"


def build_insight_atlas():
    """Four published case studies whose counts are worked out by hand in the tests, and a
    draft (with a draft mechanism) that only editors may count.

    case     start  era           regions           outcome  mechanisms     challenges  actors
    alpha    1985   Cold War      Europe            success  intel, ops     trust       NATO US UK
    bravo    2003   Post-9/11     Europe, Mid East  mixed    intel, secret  trust, law  US UK
    charlie  2015-  Contemporary  Mid East          ongoing  ops, training  law         US FR
    delta    1995   (none)        Asia              failure  intel          -           FR
    echo     2016   Contemporary  Europe            success  intel, train   trust       NATO US
    (echo is a draft, and so is the mechanism "secret")
    """
    EraFactory(name="Cold War", slug="cold-war", start_date="1947-03-12", end_date="1991-12-26")
    EraFactory(name="Post-9/11", slug="post-9-11", start_date="2001-09-11", end_date="2014-06-09")
    EraFactory(name="Contemporary", slug="contemporary", start_date="2014-06-10")
    europe = RegionFactory(name="Europe", slug="europe")
    middle_east = RegionFactory(name="Middle East", slug="middle-east")
    asia = RegionFactory(name="Asia", slug="asia")
    intel = MechanismFactory(name="Intelligence sharing", slug="intel")
    ops = MechanismFactory(name="Joint operations", slug="ops")
    training = MechanismFactory(name="Training", slug="training")
    secret = MechanismFactory(name="Secret channel", slug="secret", status=Status.DRAFT)
    trust = ChallengeFactory(name="Mistrust", slug="trust")
    law = ChallengeFactory(name="Legal differences", slug="law")
    nato = ActorFactory(name="NATO", slug="nato")
    us = StateFactory(name="United States", slug="us")
    uk = StateFactory(name="United Kingdom", slug="uk")
    france = StateFactory(name="France", slug="france")
    MembershipFactory(member=us, organisation=nato)
    MembershipFactory(member=uk, organisation=nato)
    rows = [
        ("Alpha", "alpha", "1985-01-01", "1990-01-01", [europe], "success",
         [intel, ops], [trust], [nato, us, uk], Status.PUBLISHED),
        ("Bravo", "bravo", "2003-05-01", "2010-01-01", [europe, middle_east], "mixed",
         [intel, secret], [trust, law], [us, uk], Status.PUBLISHED),
        ("Charlie", "charlie", "2015-01-01", None, [middle_east], "too_early",
         [ops, training], [law], [us, france], Status.PUBLISHED),
        ("Delta", "delta", "1995-06-01", "1999-01-01", [asia], "failure",
         [intel], [], [france], Status.PUBLISHED),
        ("Echo", "echo", "2016-01-01", "2017-01-01", [europe], "success",
         [intel, training], [trust], [nato, us], Status.DRAFT),
    ]  # fmt: skip
    for title, slug, start, end, regions, outcome, mechanisms, challenges, actors, status in rows:
        case = CaseStudyFactory(
            title=title, slug=slug, start_date=start, end_date=end, outcome=outcome, status=status
        )
        case.regions.add(*regions)
        for mechanism in mechanisms:
            MechanismUseFactory(case_study=case, mechanism=mechanism)
        for challenge in challenges:
            ChallengeEncounterFactory(case_study=case, challenge=challenge)
        for actor in actors:
            ParticipationFactory(case_study=case, actor=actor)


@pytest.fixture(scope="module")
def insight_atlas_of_module(django_db_setup, django_db_blocker):
    with django_db_setup.replaced_by_own_data(django_db_blocker):
        build_insight_atlas()
        yield


@pytest.fixture
def insight_atlas(insight_atlas_of_module, db):
    """Instead of the atlas, build_insight_atlas()'s, built once for this module's tests."""


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


# Pages: SVG, tables, CSV, HTML


def chart(html, chart_id):
    """The chart's SVG, parsed as XML (so it must be well-formed)."""
    match = re.search(rf'<svg[^>]*\sid="{chart_id}".*?</svg>', html, re.DOTALL)
    assert match, f"no chart {chart_id}"
    return ElementTree.fromstring(match.group(0))


def marks(svg):
    return [element for element in svg.iter() if "mark" in element.get("class", "").split()]


def assert_accessible_chart(svg, title):
    assert svg.get("role") in {"img", "graphics-document"}
    assert svg.get("viewBox") and svg.get("width") == "100%"
    first = svg[0]
    assert first.tag == f"{SVG}title" and first.text == title
    assert svg.get("aria-labelledby") == first.get("id")


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


def table_rows(html, table_id):
    """A table's cells as text, headings included, as a reader sees them."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    table = document.find(f".//table[@id='{table_id}']")
    assert table is not None, table_id
    return [
        [" ".join("".join(cell.itertext()).split()) for cell in row if cell.tag in {"th", "td"}]
        for row in table.iter("tr")
    ]


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))


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


# The stats API


@with_api
@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("eras", lambda data: [(r["slug"], r["case_studies"]) for r in data["results"]]
         == [("cold-war", 1), ("post-9-11", 1), ("contemporary", 1)] and data["outside_eras"] == 1),
        ("regions", lambda data: data["results"][0]["url"] == "http://testserver/regions/europe/"),
        ("mechanisms", lambda data: [r["slug"] for r in data["results"]]
         == ["intel", "ops", "training"]),
        ("matrix", lambda data: {(c["mechanism"], c["challenge"]): c["case_studies"]
                                 for c in data["cells"]}[("intel", "trust")] == 2),
        ("outcomes-by-mechanism", lambda data: data["results"][0]["outcomes"]
         == {"success": 1, "mixed": 1, "failure": 1, "too_early": 0}),
        ("timeline", lambda data: [c["slug"] for c in data["case_studies"]]
         == ["alpha", "delta", "bravo", "charlie"] and data["case_studies"][1]["era"] is None),
        ("network", lambda data: len(data["nodes"]) == 4 and data["links"][0]
         == {"source": "uk", "target": "us", "case_studies": 2, "membership": False,
             "relation": "cooperation"}),
    ],
)  # fmt: skip
def test_stats_api_gives_the_same_aggregates(client, insight_atlas, endpoint, expected):
    response = client.get(f"/api/v1/stats/{endpoint}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert expected(response.json())


@with_api
def test_stats_api_follows_the_filters_and_hides_drafts(client, insight_atlas, editor):
    url = "/api/v1/stats/mechanisms/"
    data = client.get(url, {"region": "middle-east"}, HTTP_ACCEPT="application/json").json()
    assert {r["slug"]: r["case_studies"] for r in data["results"]} == {
        "intel": 1,
        "ops": 1,
        "training": 1,
    }
    assert data["total"] == 2
    assert (
        client.get(url, {"region": "atlantis"}, HTTP_ACCEPT="application/json").status_code == 400
    )
    client.force_login(editor)
    data = client.get(url, HTTP_ACCEPT="application/json").json()
    assert {r["slug"] for r in data["results"]} == {"intel", "ops", "training", "secret"}


# A fixed number of queries


def grow(count):
    """`count` more published case studies, each with its own region, mechanism, challenge and
    actors (so every list an aggregate draws from grows), all sharing one actor."""
    shared = ActorFactory()
    for index in range(count):
        case = CaseStudyFactory(start_date=datetime.date(1990 + index, 1, 1))
        case.regions.add(RegionFactory())
        MechanismUseFactory(case_study=case)
        ChallengeEncounterFactory(case_study=case)
        ParticipationFactory(case_study=case, actor=shared)
        member = ParticipationFactory(case_study=case).actor
        MembershipFactory(member=StateFactory(), organisation=member)


MEASURED = [
    "/case-studies/timeline/?colour_by=region",
    "/case-studies/network/",
    "/case-studies/statistics/?mechanism=intel&mechanism=ops&region=europe",
    "/case-studies/timeline/case-studies.csv",
    "/case-studies/network/links.csv",
    "/case-studies/statistics/matrix.csv",
    "/api/v1/stats/timeline/",
    "/api/v1/stats/network/",
    "/api/v1/stats/eras/",
    "/api/v1/stats/regions/",
    "/api/v1/stats/mechanisms/",
    "/api/v1/stats/matrix/",
    "/api/v1/stats/outcomes-by-mechanism/",
]


@with_api
@pytest.mark.parametrize("url", MEASURED)
def test_queries_do_not_grow_with_the_data(
    client, insight_atlas, django_assert_max_num_queries, url
):
    grow(2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200
