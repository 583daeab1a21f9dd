"""The analysts' site: faceted list, exports, compare, citation, search, feed and sitemap."""

import csv
import datetime
import io
import json
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from cooperation.models import Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    MechanismFactory,
    MechanismUseFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(empty_database):
    europe = RegionFactory(slug="europe", name="Europe")
    asia = RegionFactory(slug="asia", name="Asia")
    intel = MechanismFactory(slug="intel", name="Intelligence sharing")
    ops = MechanismFactory(slug="ops", name="Joint operations")
    nato = ActorFactory(slug="nato", name="NATO")
    made = []
    for index, (regions, mechanisms, outcome) in enumerate(
        [
            ([europe], [intel], "success"),
            ([europe, asia], [intel, ops], "mixed"),
            ([asia], [ops], "failure"),
        ]
    ):
        case = CaseStudyFactory(
            title=f"Case {index}", slug=f"case-{index}", outcome=outcome, summary=f"Summary {index}"
        )
        case.regions.add(*regions)
        for mechanism in mechanisms:
            MechanismUseFactory(case_study=case, mechanism=mechanism)
        ParticipationFactory(case_study=case, actor=nato)
        made.append(case)
    hidden = CaseStudyFactory(title="Hidden draft", status=Status.DRAFT, outcome="success")
    hidden.regions.add(europe)
    MechanismUseFactory(case_study=hidden, mechanism=intel)
    return made


def facet(response, name):
    (found,) = [f for f in response.context["facets"] if f.name == name]
    return {value.value: (value.count, value.selected) for value in found.values}


def test_facet_counts_follow_the_other_filters(client, cases):
    response = client.get(reverse("casestudies:list"), {"region": "europe"})
    assert [c.title for c in response.context["object_list"]] == ["Case 0", "Case 1"]
    # Counts for the region facet ignore the region filter itself, so "asia" shows what it adds.
    assert facet(response, "region") == {"asia": (2, False), "europe": (2, True)}
    # Other facets count within the current result; drafts are never counted.
    assert facet(response, "mechanism") == {"intel": (2, False), "ops": (1, False)}
    assert facet(response, "outcome")["success"] == (1, False)
    assert facet(response, "outcome")["failure"] == (0, False)


def test_many_to_many_facets_combine(client, cases):
    response = client.get(reverse("casestudies:list"), {"mechanism": "ops", "region": "europe"})
    assert [c.title for c in response.context["object_list"]] == ["Case 1"]
    assert facet(response, "actor") == {"nato": (1, False)}


def test_filter_state_is_a_shareable_url_and_pagination_keeps_it(client, cases, settings):
    for index in range(30):
        case = CaseStudyFactory(title=f"Extra {index:02}")
        case.regions.add(cases[0].regions.first())
    response = client.get(reverse("casestudies:list"), {"region": "europe", "ordering": "title"})
    html = response.content.decode()
    assert "region=europe&amp;ordering=title&amp;page=2" in html
    assert 'value="europe" id="region-europe" checked' in html
    assert "Clear filters" in html


def test_invalid_filter_values_are_reported_not_fatal(client, cases):
    response = client.get(reverse("casestudies:list"), {"year_from": "soon", "region": "mars"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert len(response.context["object_list"]) == 3


def test_csv_and_json_exports_equal_the_filtered_result(client, cases):
    query = {"region": "europe", "ordering": "-title"}
    shown = [c.slug for c in client.get(reverse("casestudies:list"), query).context["object_list"]]

    response = client.get(reverse("casestudies:export-csv"), query)
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["slug"] for row in rows] == shown == ["case-1", "case-0"]
    assert rows[0]["regions"] == "asia;europe" or rows[0]["regions"] == "europe;asia"
    assert rows[0]["mechanisms"] in {"intel;ops", "ops;intel"}

    response = client.get(reverse("casestudies:export-json"), query)
    data = json.loads(b"".join(response.streaming_content))
    assert [row["slug"] for row in data] == shown
    assert "Hidden draft" not in json.dumps(data)


def test_exports_sent_a_few_rows_at_a_time_arrive_whole(client, cases, monkeypatch):
    monkeypatch.setattr("cooperation.exchange.csv.LINES_PER_WRITE", 2)
    monkeypatch.setattr("casestudies.exports.LINES_PER_WRITE", 2)
    response = client.get(reverse("casestudies:export-csv"), {"ordering": "title"})
    pieces = list(response.streaming_content)
    assert len(pieces) == 2  # the header and a row, then two rows
    rows = list(csv.DictReader(io.StringIO(b"".join(pieces).decode())))
    assert [row["slug"] for row in rows] == ["case-0", "case-1", "case-2"]

    response = client.get(reverse("casestudies:export-json"), {"ordering": "title"})
    data = json.loads(b"".join(response.streaming_content))
    assert [row["slug"] for row in data] == ["case-0", "case-1", "case-2"]


def test_exports_read_a_case_study_at_a_time_are_the_same_files(client, cases, monkeypatch):
    def exported(name):
        return b"".join(client.get(reverse(name)).streaming_content)

    whole = {name: exported(name) for name in ["casestudies:export-csv", "casestudies:export-json"]}
    monkeypatch.setattr("casestudies.exports.CHUNK_SIZE", 1)
    assert {name: exported(name) for name in whole} == whole
    assert b"nato" in whole["casestudies:export-csv"]


def test_exports_leave_out_draft_actors(client, cases):
    ParticipationFactory(
        case_study=cases[0], actor=ActorFactory(slug="secret-actor", status=Status.DRAFT)
    )
    for name in ["casestudies:export-csv", "casestudies:export-json"]:
        response = client.get(reverse(name))
        content = b"".join(response.streaming_content).decode()
        assert "nato" in content and "secret-actor" not in content


def test_csv_export_neutralises_formulas(client):
    CaseStudyFactory(title="=HYPERLINK(1)")
    response = client.get(reverse("casestudies:export-csv"))
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


def test_export_runs_a_fixed_number_of_queries(client, cases, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        b"".join(client.get(reverse("casestudies:export-csv")).streaming_content)
    for _ in range(20):
        ParticipationFactory(case_study=MechanismUseFactory().case_study)
    with django_assert_max_num_queries(len(few)):
        b"".join(client.get(reverse("casestudies:export-csv")).streaming_content)


def test_compare_marks_what_is_shared(client, cases):
    response = client.get(reverse("casestudies:compare"), {"c": ["case-0", "case-1"]})
    html = response.content.decode()
    assert response.context["enough"]
    mechanisms = dict(response.context["rows"])["Mechanisms"]
    assert [(cell.item.slug, cell.shared) for cell in mechanisms[0]] == [("intel", True)]
    assert ("ops", False) in [(cell.item.slug, cell.shared) for cell in mechanisms[1]]
    assert html.count('class="shared"') >= 3  # intel twice, NATO twice


def test_compare_needs_two_published_case_studies(client, cases):
    response = client.get(reverse("casestudies:compare"), {"c": ["case-0", "hidden-draft"]})
    assert not response.context["enough"]
    assert "Choose two to four" in response.content.decode()


def test_related_case_studies_are_ranked_by_what_they_share(client, cases):
    response = client.get(cases[1].get_absolute_url())
    related = [(c.slug, c.shared) for c in response.context["related"]]
    assert related == [("case-2", 2), ("case-0", 2)]  # a tie: the most recently added first
    response = client.get(cases[0].get_absolute_url())
    assert [(c.slug, c.shared) for c in response.context["related"]] == [
        ("case-1", 2),
        ("case-2", 1),
    ]


def test_cite_this_page_in_three_formats(client, cases):
    case = cases[0]
    case.title = "Braces {and} 50% & more"
    case.save()
    html = client.get(case.get_absolute_url()).content.decode()
    assert "“Braces {and} 50% &amp; more.” Counterterrorism Cooperation Atlas" in html
    bib = client.get(reverse("casestudies:cite", args=[case.slug, "bib"])).content.decode()
    assert "@misc{atlas-case-0," in bib
    assert r"title = {Braces \{and\} 50\% \& more}" in bib
    ris = client.get(reverse("casestudies:cite", args=[case.slug, "ris"])).content.decode()
    assert (
        ris.startswith("TY  - ELEC\r\n") and "UR  - http://testserver/case-studies/case-0/" in ris
    )
    assert client.get("/case-studies/case-0/cite.exe").status_code == 404


def test_search_ranks_across_kinds_and_highlights(client, cases):
    MechanismFactory(name="Maritime interdiction", summary="Stopping ships.")
    CaseStudyFactory(title="Patrols", summary="A maritime <b>patrol</b> mission.")
    CaseStudyFactory(title="Maritime draft", status=Status.DRAFT)
    response = client.get(reverse("search"), {"q": "maritime"})
    html = response.content.decode()
    kinds = [(kind, str(entry)) for kind, entry in response.context["results"]]
    assert kinds == [("Mechanism", "Maritime interdiction"), ("Case study", "Patrols")]
    assert "<mark>Maritime</mark> interdiction" in html
    assert "A <mark>maritime</mark> &lt;b&gt;patrol&lt;/b&gt; mission." in html
    assert "Maritime draft" not in html


def test_search_with_no_words_shows_no_results(client, cases):
    response = client.get(reverse("search"), {"q": "   %%% "})
    assert response.status_code == 200
    assert response.context["results"] == []


def test_feed_lists_published_case_studies(client, cases):
    response = client.get(reverse("casestudy-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Case 0" in titles and "Hidden draft" not in titles


def test_sitemap_and_robots(client, cases):
    ActorFactory(slug="draft-actor", status=Status.DRAFT)
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "/case-studies/case-0/" in sitemap and "/actors/nato/" in sitemap
    assert "hidden-draft" not in sitemap and "draft-actor" not in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


def test_friendly_404(client):
    response = client.get("/case-studies/no-such-case/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_offers_entry_points(client, cases):
    html = client.get(reverse("home")).content.decode()
    assert "/case-studies/?mechanism=intel" in html
    assert "/case-studies/?region=europe" in html
    assert "/case-studies/?actor_kind=state" in html


def test_case_study_page_states_dates_sources_and_claims(client):
    case = CaseStudyFactory(
        start_date=datetime.date(2001, 12, 20), end_date=None, outcome="too_early"
    )
    case.sources.add(SourceFactory(title="UNSCR 1386"))
    ChallengeEncounterFactory(case_study=case, manifestation="Caveats", response="Pooled forces")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "20 December 2001" in html and "Not ended: active" in html
    assert "UNSCR 1386" in html and "Caveats" in html and "Pooled forces" in html


def test_codebook_page_explains_every_outcome_and_confidence(client):
    html = client.get(reverse("codebook")).content.decode()
    for value in ["success", "mixed", "failure", "too_early", "high", "medium", "low"]:
        assert f"<code>{value}</code>" in html


def test_the_feed_follows_the_lists_filters_and_never_shows_a_draft(client, small_atlas):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = client.get(reverse("casestudy-feed"), {"region": "africa"})
    titles = [
        e.findtext(f"{atom}title")
        for e in ElementTree.fromstring(feed.content).iter(f"{atom}entry")
    ]
    assert titles == ["Sahel task force"]
    everything = client.get(reverse("casestudy-feed")).content.decode()
    assert "ISAF" in everything and "Secret plan" not in everything
    refused = client.get(reverse("casestudy-feed"), {"region": "atlantis"})
    assert refused.status_code == 400 and "region" in refused.content.decode()
    listing = client.get(reverse("casestudies:list"), {"region": "africa"}).content.decode()
    assert 'href="/feeds/case-studies/?region=africa"' in listing


def test_each_exported_row_links_its_case_study(client, cases):
    response = client.get(reverse("casestudies:export-csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["url"] for row in rows} == {
        f"http://testserver{case.get_absolute_url()}" for case in cases
    }
