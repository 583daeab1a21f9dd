"""The map page and its CSV: each country's count is the length of the case-study list filtered
to it (by the list's own `country` filter) and its shape links to that list; the CSV and the
table carry the same numbers; a filter narrows every count alike; drafts never count for the
public; a fixed number of queries; and the country shapes drawn from pygal_maps_world's file."""

import csv
import io
import re
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.urls import resolve, reverse

from casestudies.charts import world as world_shapes
from casestudies.charts.map import NONE, SHADES, shade, shading_classes
from casestudies.charts.svg import luminance
from casestudies.models import CaseStudy
from cooperation.models import Actor, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ParticipationFactory,
    RegionFactory,
    StateFactory,
)
from tests.support.html import assert_well_formed_page

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MAP = "/case-studies/map/"
CSV = "/case-studies/map/countries.csv"
LINK_LABEL = re.compile(r"^(?P<name>.+): (?P<count>\d+) case stud(?:y|ies)$")


def map_svg(html):
    """The map's SVG, parsed as XML (so it must be well-formed)."""
    match = re.search(r'<svg[^>]*\sid="map-chart".*?</svg>', html, re.DOTALL)
    assert match, "no map"
    return ElementTree.fromstring(match.group(0))


def country_links(svg):
    """Each country link of the map: (name, count, href)."""
    links = []
    for link in svg.iter(f"{SVG}a"):
        label = LINK_LABEL.match(link.get("aria-label"))
        assert label, link.get("aria-label")
        (shape,) = link.iter(f"{SVG}path")
        assert shape.findtext(f"{SVG}title") == link.get("aria-label")
        links.append((label["name"], int(label["count"]), link.get("href")))
    return links


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="map-countries.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def list_count(client, url):
    """How many case studies the list at `url` finds (rendered afresh, not from the page cache)."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count


def by_hand(*conditions, **filters):
    """What the map should count for a state, straight from the models: the published case
    studies that meet the conditions."""
    return CaseStudy.objects.filter(*conditions, status=Status.PUBLISHED, **filters)


# On the atlas


def test_each_countrys_link_leads_to_a_list_as_long_as_its_count(client, atlas):
    response = client.get(MAP)
    html = response.content.decode()
    assert_well_formed_page(html)
    svg = map_svg(html)
    assert svg.get("role") == "graphics-document"
    links = country_links(svg)
    rows = {row.name: row for row in response.context["countries"].rows}
    drawn = world_shapes.world().shapes
    shaded = [row for row in rows.values() if row.total and row.code.lower() in drawn]
    assert len(links) == len(shaded) > 40
    for name, count, href in links:
        row = rows[name]
        assert href == f"/case-studies/?country={row.slug}"
        assert count == row.total
        assert list_count(client, href) == count, name
    # The rule: a country of operation or a participant, each case study once; so the map
    # counts more than the list of the state as a participant where it only hosts operations.
    for row in rows.values():
        state = Actor.objects.get(slug=row.slug)
        expected = by_hand(Q(countries=state) | Q(participation__actor=state))
        assert row.total == expected.distinct().count(), row.name
        assert row.operations == by_hand(countries=state).count()
        assert row.participations == by_hand(participation__actor=state).count()
    wider = [row for row in rows.values() if row.total > row.participations]
    assert wider, "no country is counted for operations alone: the test shows nothing"
    for row in wider[:3]:
        assert list_count(client, f"/case-studies/?actor={row.slug}") == row.participations
        assert list_count(client, f"/case-studies/?country={row.slug}") == row.total


def test_the_csv_and_the_table_have_the_maps_numbers(client, atlas):
    response = client.get(MAP)
    links = {name: count for name, count, _ in country_links(map_svg(response.content.decode()))}
    rows = csv_rows(client.get(CSV))
    assert rows[0] == [
        "Country",
        "ISO 3166 code",
        "Country of operation",
        "Taking part",
        "Case studies",
    ]
    table = response.context["chart"].table
    assert rows[1:] == [[str(cell.value) for cell in row] for row in table.rows]
    states = Actor.objects.filter(kind=Actor.Kind.STATE, status=Status.PUBLISHED)
    assert {row[1] for row in rows[1:]} == set(states.values_list("country_code", flat=True))
    totals = {row[0]: int(row[4]) for row in rows[1:]}
    assert all(totals[name] == count for name, count in links.items())
    assert [int(row[4]) for row in rows[1:]] == sorted(
        (int(row[4]) for row in rows[1:]), reverse=True
    )
    for _, _, operations, taking_part, total in rows[1:]:
        assert max(int(operations), int(taking_part)) <= int(total)
        assert int(total) <= int(operations) + int(taking_part)


def test_a_country_the_map_file_lacks_is_still_in_the_table(client, atlas):
    drawn = world_shapes.world().shapes
    codes = set(Actor.objects.filter(kind=Actor.Kind.STATE).values_list("country_code", flat=True))
    missing = {code for code in codes if code.lower() not in drawn}
    assert missing == {"QA"}  # Qatar: pygal_maps_world 1.0.2 has no shape for it
    response = client.get(MAP)
    html = response.content.decode()
    qatar = Actor.objects.get(country_code="QA")
    assert [row.name for row in response.context["not_drawn"]] == [qatar.name]
    assert f"which has no shape for it: {qatar.name} (" in html
    assert any(row[0].value == qatar.name for row in response.context["chart"].table.rows)
    assert qatar.name not in {name for name, _, _ in country_links(map_svg(html))}


def test_a_filter_narrows_every_count_alike(client, atlas):
    everything = {row.slug: row for row in client.get(MAP).context["countries"].rows}
    response = client.get(MAP, {"region": "sub-saharan-africa"})
    html = response.content.decode()
    assert "<strong>Region:</strong> Sub-Saharan Africa" in html
    narrowed = {row.slug: row for row in response.context["countries"].rows}
    assert response.context["countries"].total == list_count(
        client, "/case-studies/?region=sub-saharan-africa"
    )
    assert set(narrowed) == set(everything)
    assert all(narrowed[slug].total <= everything[slug].total for slug in narrowed)
    assert any(narrowed[slug].total < everything[slug].total for slug in narrowed)
    links = country_links(map_svg(html))
    assert len(links) == len([row for row in narrowed.values() if row.total and row.code != "QA"])
    for name, count, href in links:
        slug = href.rsplit("=", 1)[1]
        assert href == f"/case-studies/?region=sub-saharan-africa&country={slug}"
        assert list_count(client, href) == count == narrowed[slug].total, name
    rows = csv_rows(client.get(CSV, {"region": "sub-saharan-africa"}))
    assert {row[1]: int(row[4]) for row in rows[1:]} == {
        row.code: row.total for row in narrowed.values()
    }


def test_links_to_the_map_and_from_it(client, atlas):
    html = client.get(reverse("casestudies:list"), {"region": "europe"}).content.decode()
    assert 'href="/case-studies/map/?region=europe">map</a>' in html
    html = client.get(MAP, {"region": "europe"}).content.decode()
    assert 'href="/case-studies/map/?region=europe" aria-current="page">Map</a>' in html
    assert 'href="/case-studies/statistics/?region=europe">Statistics</a>' in html
    assert 'href="/case-studies/map/countries.csv?region=europe" download' in html
    html = client.get(reverse("casestudies:statistics")).content.decode()
    assert 'href="/case-studies/map/">Map</a>' in html


def test_with_a_country_chosen_only_its_own_shape_links(client, atlas):
    """Several values of one filter mean any of them, so the list cannot narrow a country's
    selection to another country: those shapes are drawn, without a link."""
    response = client.get(MAP, {"country": "france"})
    links = country_links(map_svg(response.content.decode()))
    assert [href for _, _, href in links] == ["/case-studies/?country=france"]
    france = next(row for row in response.context["countries"].rows if row.slug == "france")
    assert france.total == response.context["countries"].total == links[0][1]
    assert sum(1 for row in response.context["countries"].rows if row.total) > 1


def test_empty_and_invalid_selections(client, atlas):
    response = client.get(MAP, {"q": "zzyzx-nothing"})
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="map-chart"' not in response.content.decode()
    assert "No case study matches these filters." in response.content.decode()
    response = client.get(MAP, {"country": "atlantis"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
    assert client.get(CSV, {"country": "atlantis"}).status_code == 400
    assert client.get("/case-studies/map/nothing.csv").status_code == 404
    # The country filter takes states only.
    assert client.get(CSV, {"country": "nato"}).status_code == 400


def test_url_names_reverse_and_resolve():
    for name, args, url in [
        ("casestudies:map", [], MAP),
        ("casestudies:map-csv", ["countries"], CSV),
    ]:
        assert reverse(name, args=args) == url
        assert resolve(url).view_name == name


# On data of its own


@pytest.fixture
def drafts(empty_database):
    """Two published states and a draft one; a published case study in France with Spain and
    the draft state taking part; a draft case study in France with France taking part."""
    france = StateFactory(name="France", slug="france", country_code="FR")
    spain = StateFactory(name="Spain", slug="spain", country_code="ES")
    hidden = StateFactory(
        name="Hidden State", slug="hidden", country_code="DE", status=Status.DRAFT
    )
    nato = ActorFactory(name="NATO", slug="nato")
    public = CaseStudyFactory(title="Public", slug="public")
    public.countries.add(france)
    ParticipationFactory(case_study=public, actor=spain)
    ParticipationFactory(case_study=public, actor=hidden)
    ParticipationFactory(case_study=public, actor=nato)
    draft = CaseStudyFactory(title="Draft", slug="draft", status=Status.DRAFT)
    draft.countries.add(france)
    ParticipationFactory(case_study=draft, actor=france)
    return france, spain, hidden


def counted(rows):
    return {row[1]: tuple(int(n) for n in row[2:]) for row in rows[1:]}


def test_drafts_are_not_counted_for_the_public(client, drafts, editor):
    response = client.get(MAP)
    html = response.content.decode()
    assert "Hidden State" not in html
    assert counted(csv_rows(client.get(CSV))) == {"FR": (1, 0, 1), "ES": (0, 1, 1)}
    assert sorted(country_links(map_svg(html))) == [
        ("France", 1, "/case-studies/?country=france"),
        ("Spain", 1, "/case-studies/?country=spain"),
    ]
    assert list_count(client, "/case-studies/?country=france") == 1
    # The draft state is no country the public may filter by.
    assert client.get(CSV, {"country": "hidden"}).status_code == 400
    # An editor sees the draft case study (France hosts it and takes part: counted once) and
    # the draft state.
    client.force_login(editor)
    response = client.get(CSV)
    assert "private" in response["Cache-Control"]
    assert counted(csv_rows(response)) == {"FR": (2, 1, 2), "ES": (0, 1, 1), "DE": (0, 1, 1)}
    assert list_count(client, "/case-studies/?country=france") == 2
    links = country_links(map_svg(client.get(MAP).content.decode()))
    assert ("Hidden State", 1, "/case-studies/?country=hidden") in links


def test_shades_classes_and_legend(client, drafts):
    html = client.get(MAP).content.decode()
    countries = map_svg(html).find(f"{SVG}g")  # the drawing, after the hatch's definition
    fills = {
        path.findtext(f"{SVG}title"): path.get("fill") for path in countries.iter(f"{SVG}path")
    }
    assert fills["France: 1 case study"] in SHADES
    # A state of the atlas without case studies is grey, a country not in the atlas hatched.
    StateFactory(name="Portugal", slug="portugal", country_code="PT")
    countries = map_svg(client.get(MAP).content.decode()).find(f"{SVG}g")
    fills = {
        path.findtext(f"{SVG}title"): path.get("fill") for path in countries.iter(f"{SVG}path")
    }
    assert fills["Portugal: no case studies"] == NONE
    assert fills["France: 1 case study"] in SHADES
    absent = [path for path in countries.iter(f"{SVG}path") if path.find(f"{SVG}title") is None]
    assert len(absent) == len(world_shapes.world().shapes) - 3  # all but France, Spain, Portugal
    assert {path.get("fill") for path in absent} == {"url(#map-chart-absent)"}
    assert 'id="map-chart-absent"' in html
    legend = html.split('class="chart-legend"', 1)[1].split("</ul>", 1)[0]
    assert "No case studies in this selection" in legend and "Not in the atlas" in legend


@pytest.mark.parametrize("maximum", [1, 2, 3, 5, 6, 7, 12, 40, 53, 100, 999, 123456])
def test_shading_classes_cover_every_count_darker_for_more(maximum):
    classes = shading_classes(maximum)
    assert 1 <= len(classes) <= len(SHADES)
    assert classes[0][0] == 1 and classes[-1][1] == maximum
    assert [low for low, _ in classes[1:]] == [high + 1 for _, high in classes[:-1]]
    shades = [shade(count, classes) for count in range(1, maximum + 1, max(1, maximum // 500))]
    darkness = [luminance(colour) for colour in shades]
    assert darkness == sorted(darkness, reverse=True)
    assert len({shade(low, classes) for low, _ in classes}) == len(classes)
    assert shade(0, classes) == NONE


# A fixed number of queries


def grow(count):
    """`count` more published case studies, each in a new state with another new state taking
    part."""
    for _ in range(count):
        case = CaseStudyFactory()
        case.regions.add(RegionFactory())
        case.countries.add(StateFactory())
        ParticipationFactory(case_study=case, actor=StateFactory())


@pytest.mark.parametrize("url", [MAP, f"{MAP}?actor_kind=state&year_from=1990", CSV])
def test_queries_do_not_grow_with_the_data(
    client, empty_database, django_assert_max_num_queries, url
):
    grow(2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


# The shapes


def test_the_shapes_are_the_package_files_countries_rounded_without_drift():
    world = world_shapes.world()
    assert len(world.shapes) == 183  # the file's 184 countries but Antarctica
    assert "aq" not in world.shapes and {"fr", "es", "us", "mc", "va"} <= set(world.shapes)
    assert (world.width, world.height) == (2484, 1164)
    # Rounded in absolute terms: three steps of 1.3 from 0.4 (to 1.7, 3 and 4.3) are written
    # 2, 1, 1 and end at 4, where rounding each step (1, 1, 1) would have drifted to 3.
    subpaths = world_shapes._subpaths("m0.4 0.4l1.3 0 1.3 0 1.3 0 0 5z")
    assert world_shapes._path(subpaths, (0, 0), 0) == "M0 0h2 1 1v5"
    # A flat curve becomes a line; a smooth curve's control point is the reflected one.
    assert world_shapes._path(world_shapes._subpaths("M0 0c1 0.2 2 0.2 3 0v9"), (0, 0), 0) == (
        "M0 0h3v9"
    )
    assert world_shapes._subpaths("M0 0c0 5 5 5 5 0s5-5 5 0")[0][1][1] == (
        "c",
        [(5.0, -5.0), (10.0, -5.0), (10.0, 0.0)],
    )
    with pytest.raises(ValueError, match="Unsupported"):
        world_shapes._subpaths("M0 0a1 1 0 0 1 2 2")
