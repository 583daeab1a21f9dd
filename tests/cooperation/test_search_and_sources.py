"""A source's page lists what cites it (cooperation.citing); search filters by kind of record and
forgives misspelt names (cooperation.search.close_matches), on SQLite and on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy
from cooperation.models import Actor, Source, Status
from cooperation.search import words_found
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    MechanismFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
    StateFactory,
    TopicFactory,
)
from tests.support.html import assert_well_formed_page

pytestmark = pytest.mark.django_db


def section(html, name):
    """The HTML of the page's section with the class `name` ("" if it has none)."""
    found = re.search(rf'<section [^>]*class="{name}".*?</section>', html, re.DOTALL)
    return found[0] if found else ""


def items(html):
    """Each list item's text, tags removed and spaces collapsed."""
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", html, re.DOTALL)
    ]


# The source page ----------------------------------------------------------------------------------


@pytest.fixture
def cited(empty_database):
    """A source cited by a case study directly, by a claim of every kind and by an actor."""
    source = SourceFactory(slug="un-report", title="UN report")
    case = CaseStudyFactory(title="Operation Gamma", slug="operation-gamma")
    case.sources.add(source)
    state = StateFactory(name="United States", slug="united-states")
    lead = ParticipationFactory(
        case_study=case,
        actor=state,
        role="lead",
        confidence="high",
        locators="un-report: page 12, paragraph 3",
    )
    lead.sources.add(source)
    MechanismUseFactory(
        case_study=case, mechanism=MechanismFactory(name="Joint patrols", slug="joint-patrols")
    ).sources.add(source)
    ChallengeEncounterFactory(
        case_study=case, challenge=ChallengeFactory(name="Mistrust", slug="mistrust")
    ).sources.add(source)
    alliance = ActorFactory(name="Gamma Alliance", slug="gamma-alliance")
    MembershipFactory(member=state, organisation=alliance, role="founding_member").sources.add(
        source
    )
    alliance.sources.add(source)
    return {"source": source, "case": case, "state": state, "alliance": alliance}


def test_source_page_lists_the_records_and_claims_that_cite_it(client, cited):
    response = client.get(cited["source"].get_absolute_url())
    html = response.content.decode()
    assert_well_formed_page(html)
    records, claims = section(html, "citing-records"), section(html, "citing-claims")
    assert items(records) == ["Gamma Alliance", "Operation Gamma"]
    assert f'<a href="{cited["case"].get_absolute_url()}">Operation Gamma</a>' in records
    assert f'<a href="{cited["alliance"].get_absolute_url()}">Gamma Alliance</a>' in records
    # Each claim in words, its two ends linked, with where in the source it stands if it says.
    assert items(claims) == [
        "Mistrust in Operation Gamma (medium confidence)",
        "Joint patrols in Operation Gamma (medium confidence)",
        "United States — founding member of Gamma Alliance",
        "United States — lead in Operation Gamma (high confidence). "
        "Where in this source: page 12, paragraph 3",
    ]
    assert [re.sub(r"\s+", " ", heading) for heading in re.findall(r"<h3>(.*?)</h3>", claims)] == [
        "Challenges met",
        "Mechanisms used",
        "Memberships",
        "Participations",
    ]
    assert f'<a href="{cited["state"].get_absolute_url()}">United States</a>' in claims
    assert claims.count(f'<a href="{cited["case"].get_absolute_url()}">Operation Gamma</a>') == 3


def test_source_page_shows_the_public_no_draft_and_editors_their_drafts(client, cited, editor):
    source = cited["source"]
    draft_case = CaseStudyFactory(title="Operation Hidden", status=Status.DRAFT)
    draft_case.sources.add(source)
    ParticipationFactory(case_study=draft_case, actor=cited["state"]).sources.add(source)
    # A published case study's claim about a draft actor is a draft's claim too.
    draft_actor = ActorFactory(name="Secret Cell", status=Status.DRAFT)
    ParticipationFactory(case_study=cited["case"], actor=draft_actor).sources.add(source)
    url = source.get_absolute_url()

    public = client.get(url).content.decode()
    assert "Operation Hidden" not in public and "Secret Cell" not in public
    assert "badge-draft" not in public

    client.force_login(editor)
    response = client.get(url)
    seen = response.content.decode()
    assert "Operation Hidden" in seen and "Secret Cell" in seen
    assert "Secret Cell Draft — member in Operation Gamma (medium confidence)" in items(
        section(seen, "citing-claims")
    )
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_source_nothing_cites_says_so(client, empty_database):
    source = SourceFactory()
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Nothing you can see cites this source yet." in html
    assert_well_formed_page(html)


def cite_more(source, count):
    """`count` more citing records and claims of every kind."""
    for _ in range(count):
        case = CaseStudyFactory()
        case.sources.add(source)
        ParticipationFactory(case_study=case).sources.add(source)
        MechanismUseFactory(case_study=case).sources.add(source)
        ChallengeEncounterFactory(case_study=case).sources.add(source)
        MembershipFactory().sources.add(source)
        ActorFactory().sources.add(source)
        MechanismFactory().sources.add(source)
        ChallengeFactory().sources.add(source)
        TopicFactory().sources.add(source)


def test_source_page_runs_a_fixed_number_of_queries(
    client, cited, editor, django_assert_max_num_queries
):
    url = cited["source"].get_absolute_url()
    # The page cache's content version, the source, then one query per kind of citing record or
    # claim (nine kinds).
    with django_assert_max_num_queries(11) as few:
        assert client.get(url).status_code == 200
    cite_more(cited["source"], 12)
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert len(items(section(html, "citing-claims"))) == 4 + 4 * 12  # every one listed
    assert len(items(section(html, "citing-records"))) == 2 + 5 * 12
    # An editor's page (drafts and all) too, past the sign-in's own queries.
    client.force_login(editor)
    with CaptureQueriesContext(connection) as signed_in:
        client.get(url)
    cite_more(cited["source"], 3)
    with django_assert_max_num_queries(len(signed_in)):
        client.get(url)


def test_the_atlas_sources_list_their_claims_with_locators(client, atlas):
    source = Source.objects.get(slug="nato-isaf-topic")
    html = client.get(source.get_absolute_url()).content.decode()
    claims = items(section(html, "citing-claims"))
    assert any(
        item.startswith(
            "North Atlantic Treaty Organization (NATO) — lead in NATO-led International"
        )
        and item.endswith("Where in this source: paragraph 1, sentence 1")
        for item in claims
    ), claims
    isaf = CaseStudy.objects.get(slug="isaf-afghanistan")
    assert isaf.get_absolute_url() in section(html, "citing-records")


# Search -------------------------------------------------------------------------------------------


def search(client, **query):
    response = client.get(reverse("search"), query)
    assert response.status_code == 200
    return response


def kinds_found(response):
    return {label for label, _entry in response.context["results"]}


def test_search_filters_by_kind_of_record(client, atlas):
    everything = search(client, q="Afghanistan")
    assert {"Actor", "Case study"} <= kinds_found(everything)
    actors = search(client, q="Afghanistan", kind="actor")
    assert kinds_found(actors) == {"Actor"}
    assert "Afghanistan" in [str(entry) for _label, entry in actors.context["results"]]
    case_studies = search(client, q="Afghanistan", kind="case-study")
    assert kinds_found(case_studies) == {"Case study"}
    assert len(case_studies.context["results"]) < len(everything.context["results"])
    html = case_studies.content.decode()
    assert '<option value="case-study" selected>Case studies</option>' in html
    assert_well_formed_page(html)


def test_search_names_an_unknown_kind_and_searches_every_kind(client, atlas):
    response = search(client, q="Afghanistan", kind="spaceship<script>")
    html = response.content.decode()
    assert "There is no kind of record called “spaceship&lt;script&gt;”" in html
    assert "spaceship<script>" not in html
    assert kinds_found(response) == kinds_found(search(client, q="Afghanistan"))
    assert "selected" not in html.split("<select")[1].split("</select>")[0]


def test_a_misspelt_name_suggests_and_finds_the_records(client, atlas):
    response = search(client, q="Afganistan")
    assert response.context["results"] == []  # nothing has the misspelt word
    assert response.context["suggestion"] == ("Afghanistan", "/search/?q=Afghanistan")
    html = response.content.decode()
    assert 'Did you mean <a href="/search/?q=Afghanistan">Afghanistan</a>?' in html
    close = [(label, str(entry)) for label, entry in response.context["close_matches"]]
    assert close[0] == ("Actor", "Afghanistan")
    assert {
        "NATO-led International Security Assistance Force (ISAF) in Afghanistan",
        "Operation Enduring Freedom in Afghanistan (2001\N{EN DASH}2014)",
    } <= {title for label, title in close if label == "Case study"}
    assert all("fghan" in title for _label, title in close)
    assert_well_formed_page(html)
    # Within one kind, the suggestion keeps to it.
    case_studies = search(client, q="afganistan", kind="case-study")
    assert {label for label, _entry in case_studies.context["close_matches"]} == {"Case study"}
    name, link = case_studies.context["suggestion"]
    assert "Afghanistan" in name and link.endswith("&kind=case-study")


def test_a_misspelt_short_name_finds_its_actor(client, atlas):
    """An actor is found by either of its names (each matched on its own, then united): here
    by its short name alone, which its full name does not contain."""
    response = search(client, q="Afrippol")
    actors = [
        (entry.name, entry.close_name)
        for label, entry in response.context["close_matches"]
        if label == "Actor"
    ]
    assert actors == [("African Union Mechanism for Police Cooperation", "AFRIPOL")]
    assert response.context["suggestion"] == ("AFRIPOL", "/search/?q=AFRIPOL")


def test_a_drafts_title_is_never_suggested_to_the_public(client, atlas, editor):
    CaseStudyFactory(title="Operation Zanzibar Lighthouse", status=Status.DRAFT)
    Actor.objects.filter(slug="afghanistan").update(status=Status.DRAFT)
    for query in ("Zanzibar Lighthuse", "Afganistan"):
        response = search(client, q=query)
        html = response.content.decode()
        assert "Zanzibar Lighthouse" not in html
        assert response.context["suggestion"] is None or response.context["suggestion"][0] != (
            "Afghanistan"
        )
        assert "Actor" not in {label for label, _ in response.context["close_matches"]}
    # An editor, who sees drafts, is offered them: the same searches can find them.
    client.force_login(editor)
    assert search(client, q="Zanzibar Lighthuse").context["suggestion"][0] == (
        "Operation Zanzibar Lighthouse"
    )
    assert search(client, q="Afganistan").context["suggestion"][0] == "Afghanistan"


def test_a_search_that_finds_enough_suggests_nothing(client, atlas):
    response = search(client, q="Afghanistan")
    assert len(response.context["results"]) >= 5
    assert response.context["suggestion"] is None and response.context["close_matches"] == []


def test_a_search_whose_words_are_all_known_looks_for_no_close_names(client, atlas):
    CaseStudyFactory(title="Operation Harbour Lantern")
    CaseStudyFactory(title="Harbor Lanterns Patrol")  # close, but not what was asked
    response = search(client, q="Harbour Lantern")
    assert len(response.context["results"]) < 5  # few: close names would be looked for...
    assert response.context["close_matches"] == []  # ...but no word is misspelt
    assert response.context["suggestion"] is None
    misspelt = search(client, q="Harbour Lanterm")
    name, _ = misspelt.context["suggestion"]
    assert name in {"Operation Harbour Lantern", "Harbor Lanterns Patrol"}
    # One word, found: what it found says it is known.
    one_word = search(client, q="Lantern")
    assert 0 < len(one_word.context["results"]) < 5
    assert one_word.context["close_matches"] == [] and one_word.context["suggestion"] is None


def test_the_words_found_nowhere_are_told_in_a_fixed_number_of_queries(client, atlas):
    """However many words a search has, finding which of them nothing has (the ones close
    names are looked for) takes the same queries: a search of ten made-up words once took five
    queries a word. A search of one word needs no such check: what it found tells."""
    with CaptureQueriesContext(connection) as one_word:
        one = search(client, q="Afganistan")
    with CaptureQueriesContext(connection) as two_words:
        two = search(client, q="Afganistan Qwzx")
    with CaptureQueriesContext(connection) as ten_words:
        ten = search(client, q="Afganistan Qwzx Vbnm Plokij Zzyzx Xyloq Wubl Grrk Jklm Frobn")
    assert len(ten_words) <= len(two_words)

    def checks(queries):  # the per-word check is a search's only EXISTS
        return [query for query in queries if "EXISTS" in query["sql"]]

    assert checks(two_words) and not checks(one_word)
    assert one.context["suggestion"][0] == "Afghanistan"
    assert two.context["results"] == ten.context["results"] == []


def test_words_found_are_those_some_visible_record_has(atlas):
    CaseStudyFactory(title="Operation Quillwort", status=Status.DRAFT)
    CaseStudyFactory(title="Operation Marigold Harbour")
    public = [CaseStudy.objects.published(), Actor.objects.published()]
    words = ["NATO", "Qwzx", "Afghanistan", "Quillwort", "Marigold"]
    assert words_found(public, words) == {"NATO", "Afghanistan", "Marigold"}
    assert words_found(public[1:], ["Marigold", "NATO"]) == {"NATO"}  # an actor's word only
    assert words_found([CaseStudy.objects.all()], ["Quillwort"]) == {"Quillwort"}
    assert words_found(public, []) == set()
    assert words_found(public, ["", "--", "NATO"]) == {"NATO"}  # no word to search
