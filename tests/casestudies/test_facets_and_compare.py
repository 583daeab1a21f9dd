"""Every facet value reachable (the "Show all" pages), the chips that remove a filter, and
comparisons whose picks survive paging, filtering and searching."""

import re
from html import unescape

import pytest
from django.urls import reverse

from casestudies import facet_index
from casestudies.facets import FACET_NAMES, LONG_FACET_LIMIT
from cooperation.models import Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    EraFactory,
    ParticipationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("casestudies:list")


def facet_page(client, name, **query):
    return client.get(reverse("casestudies:facet", args=[name]), query)


def links_of(html, css_class):
    """The (text, href) of each link in the <ul class="css_class">, as a screen reader reads
    the text (what is aria-hidden left out)."""
    block = re.search(rf'<ul class="{css_class}"[^>]*>(.*?)</ul>', html, re.S).group(1)
    block = re.sub(r'<span aria-hidden="true">.*?</span>', "", block)
    return [
        (re.sub(r"<[^>]+>", "", unescape(text)).strip(), unescape(href))
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block, re.S)
    ]


@pytest.mark.usefixtures("atlas")
class TestShowAll:
    def test_the_sidebar_links_every_value_of_a_long_facet(self, client):
        response = client.get(LIST)
        (actors,) = [facet for facet in response.context["facets"] if facet.name == "actor"]
        assert len(actors.shown) == LONG_FACET_LIMIT < actors.size
        assert f"Show all {actors.size} actor values" in response.content.decode()
        every = [value for value, _ in facet_page(client, "actor").context["values"]]
        assert len(every) == actors.size
        assert every[:LONG_FACET_LIMIT] == actors.shown

    def test_a_value_far_down_the_facet_filters_the_list_to_its_count(self, client):
        page = facet_page(client, "actor", region="middle-east-and-north-africa")
        values = page.context["values"]
        assert len(values) > 40
        for value, url in values[39::7]:
            result = client.get(url)
            assert result.context["paginator"].count == value.count, value.label
            chosen = result.context["filterset"].form.cleaned_data
            assert [actor.slug for actor in chosen["actor"]] == [value.value]
            assert [region.slug for region in chosen["region"]] == ["middle-east-and-north-africa"]

    def test_search_within_a_facet_and_alphabetical_order(self, client):
        page = facet_page(client, "actor", within="united", order="name")
        labels = [value.label for value, _ in page.context["values"]]
        assert "United States of America" in labels
        assert all("united" in label.casefold() for label in labels)
        assert labels == sorted(labels, key=str.casefold)
        # the search keeps the list's filters in its form
        page = facet_page(client, "mechanism", region="europe")
        assert '<input type="hidden" name="region" value="europe">' in page.content.decode()

    def test_a_chosen_value_links_to_the_list_without_it(self, client):
        page = facet_page(client, "actor", actor=["united-states", "eu"])
        urls = {value.value: url for value, url in page.context["values"]}
        assert "actor=eu" in urls["united-states"] and "united-states" not in urls["united-states"]
        assert "actor=united-states" in urls["isis"] and "actor=eu" in urls["isis"]

    def test_an_unknown_facet_is_not_found(self, client):
        assert facet_page(client, "colour").status_code == 404

    def test_the_facet_page_runs_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        facet_index.current_snapshot()  # built once per process and publication, not per page
        with django_assert_max_num_queries(8):
            facet_page(client, "actor", region="europe", outcome="mixed")


@pytest.mark.usefixtures("atlas")
def test_chips_show_the_filters_in_force_and_each_removes_only_itself(client):
    response = client.get(LIST, {"region": "europe", "outcome": "mixed", "q": "intelligence"})
    chips = links_of(response.content.decode(), "chips")
    assert [label for label, _ in chips] == [
        "Search: intelligence",
        "Region: Europe",
        "Outcome: Mixed",
    ]
    without_region = client.get(dict(chips)["Region: Europe"])
    cleaned = without_region.context["filterset"].form.cleaned_data
    assert not cleaned["region"]
    assert cleaned["outcome"] == ["mixed"] and cleaned["q"] == "intelligence"


@pytest.mark.usefixtures("atlas")
class TestComparePicks:
    def test_picks_survive_paging_and_a_new_search(self, client):
        first = client.get(LIST, {"c": ["isaf-afghanistan", "five-eyes-ukusa"]})
        html = first.content.decode()
        assert "Compare selected (2)" in html
        next_page = re.search(r'href="\?([^"]+)" rel="next"', html).group(1)
        assert "c=isaf-afghanistan" in unescape(next_page)
        second = client.get(f"{LIST}?{unescape(next_page)}")
        assert "Compare selected (2)" in second.content.decode()
        # the filter form carries the picks into a search
        assert '<input type="hidden" name="c" value="five-eyes-ukusa">' in html
        searched = client.get(LIST, {"q": "sahel", "c": ["isaf-afghanistan", "five-eyes-ukusa"]})
        assert searched.context["picks"].slugs == ["isaf-afghanistan", "five-eyes-ukusa"]

    def test_a_pick_on_the_page_is_ticked(self, client):
        html = client.get(LIST, {"c": "amisom-atmis-somalia"}).content.decode()
        assert re.search(
            r'value="amisom-atmis-somalia" id="compare-amisom-atmis-somalia" checked', html
        )
        # a pick on another page travels hidden in the compare form
        assert (
            '<input type="hidden" name="c" value="amisom-atmis-somalia">'
            not in html.split('id="compare-form"')[1].split("</form>")[0]
        )

    def test_a_fifth_pick_and_an_unknown_slug_are_refused_by_name(self, client):
        slugs = [
            "isaf-afghanistan",
            "no-such-case",
            "five-eyes-ukusa",
            "operation-serval-mali",
            "operation-barkhane-sahel",
            "nato-response-9-11",
        ]
        compared = client.get(reverse("casestudies:compare"), {"c": slugs})
        for response in (compared, client.get(LIST, {"c": slugs})):
            html = unescape(response.content.decode())
            assert "No case study “no-such-case” in the atlas" in html
            assert "At most 4 case studies can be compared" in html
            assert "NATO" in html.split("At most 4")[1][:200]  # the fifth is named
        assert [case.slug for case in compared.context["case_studies"]] == [
            "isaf-afghanistan",
            "five-eyes-ukusa",
            "operation-serval-mali",
            "operation-barkhane-sahel",
        ]

    def test_a_signed_in_analyst_finds_their_picks_on_the_next_visit(self, client, editor):
        client.force_login(editor)
        client.get(LIST, {"c": ["isaf-afghanistan", "five-eyes-ukusa"]})
        later = client.get(reverse("casestudies:compare"))
        assert [case.slug for case in later.context["case_studies"]] == [
            "isaf-afghanistan",
            "five-eyes-ukusa",
        ]
        client.get(LIST, {"c": ""})  # unticking the last pick clears them
        assert client.get(LIST).context["picks"].slugs == []

    def test_anonymous_picks_live_only_in_the_url(self, client):
        client.get(LIST, {"c": ["isaf-afghanistan", "five-eyes-ukusa"]})
        assert client.get(LIST).context["picks"].slugs == []


@pytest.mark.usefixtures("empty_database")
def test_compare_marks_shared_era_and_region_and_never_an_adversary_as_a_partner(client):
    EraFactory(slug="post-9-11", name="After 9/11", start_date="2001-09-11")
    europe = RegionFactory(name="Europe")
    ally, foe, draft = (
        ActorFactory(name="Ally"),
        ActorFactory(name="Foe"),
        ActorFactory(name="Hidden", status=Status.DRAFT),
    )
    cases = []
    for index, foe_role in enumerate(["adversary", "partner"]):
        case = CaseStudyFactory(slug=f"case-{index}", start_date="2005-01-01")
        case.regions.add(europe)
        ParticipationFactory(case_study=case, actor=ally, role="lead")
        ParticipationFactory(case_study=case, actor=foe, role=foe_role)
        ParticipationFactory(case_study=case, actor=draft, role="member")
        cases.append(case)
    response = client.get(reverse("casestudies:compare"), {"c": ["case-0", "case-1"]})
    rows = dict(response.context["rows"])
    participants = [
        [(cell.item.name, cell.note, cell.shared) for cell in column]
        for column in rows["Participants"]
    ]
    assert participants == [
        [("Ally", "Lead", True), ("Foe", "Adversary", False)],
        [("Ally", "Lead", True), ("Foe", "Partner", False)],
    ]
    assert [[cell.shared for cell in column] for column in rows["Regions"]] == [[True], [True]]
    assert response.context["shared_era"]
    html = response.content.decode()
    assert "Foe</a> (Adversary)" in html and "Hidden" not in html


@pytest.mark.usefixtures("atlas")
class TestAPIFacets:
    QUERY = {"region": "europe", "outcome": "mixed", "actor": "eu"}

    def test_the_api_counts_what_the_site_shows_for_every_facet(self, client):
        api = client.get(
            "/api/v1/case-studies/", {**self.QUERY, "facets": ",".join(FACET_NAMES)}
        ).json()["facets"]
        assert list(api) == FACET_NAMES
        for name in FACET_NAMES:
            site = facet_page(client, name, **self.QUERY).context["values"]
            assert [
                (value["value"], value["count"], value["selected"]) for value in api[name]["values"]
            ] == [(value.value, value.count, value.selected) for value, _ in site]

    def test_only_the_facets_asked_for_and_none_unasked(self, client):
        body = client.get("/api/v1/case-studies/", {"facets": "region, era"}).json()
        assert list(body["facets"]) == ["region", "era"]
        assert "facets" not in client.get("/api/v1/case-studies/").json()

    def test_an_unknown_facet_is_refused_by_name(self, client):
        response = client.get("/api/v1/case-studies/", {"facets": "region,colour"})
        assert response.status_code == 400
        assert "No facet called colour" in response.content.decode()


@pytest.mark.usefixtures("atlas")
def test_a_country_from_the_map_has_a_chip_and_survives_the_sidebar(client):
    html = client.get(LIST, {"country": "spain", "outcome": "mixed"}).content.decode()
    chips = dict(links_of(html, "chips"))
    assert "Country: Kingdom of Spain" in chips
    assert '<input type="hidden" name="country" value="spain">' in html
    cleaned = client.get(chips["Country: Kingdom of Spain"]).context["filterset"].form.cleaned_data
    assert not cleaned["country"] and cleaned["outcome"] == ["mixed"]


def test_the_sidebar_ticks_what_is_chosen_labels_each_box_and_escapes_names(client):
    case = CaseStudyFactory()
    case.regions.add(RegionFactory(slug="nowhere-else"))
    chosen = ActorFactory(slug="chosen", name="Chosen <b>actor</b> & co")
    ParticipationFactory(case_study=case, actor=chosen)
    ParticipationFactory(case_study=case, actor=ActorFactory(slug="other"))
    html = client.get(LIST, {"actor": "chosen", "region": "nowhere-else"}).content.decode()
    boxes = dict(
        re.findall(
            r'<input type="checkbox" name="actor" value="([^"]+)" id="[^"]+"( checked)?>', html
        )
    )
    assert boxes == {"chosen": " checked", "other": ""}
    for slug in boxes:
        assert f'id="actor-{slug}"' in html and f'<label for="actor-{slug}">' in html
    assert 'Chosen &lt;b&gt;actor&lt;/b&gt; &amp; co <span class="count">(1)</span>' in html
    assert "<b>actor</b>" not in html
