"""The public pages: every one is well-formed HTML (no parse error under the HTML5 parsing rules)
with one main landmark, one h1, headings that do not skip levels and labels for every form
control; they show what they should, hide drafts from the public, and run a fixed number of
queries however many rows they show or link to."""

import pytest
from django.urls import reverse

from casestudies import facet_index
from cooperation.models import Status
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
    SourceFactory,
)
from tests.support.html import assert_well_formed_page

pytestmark = pytest.mark.django_db


def make_case_study(**kwargs):
    case_study = CaseStudyFactory(**kwargs)
    case_study.regions.add(RegionFactory())
    case_study.sources.add(SourceFactory())
    for _ in range(3):
        ParticipationFactory(case_study=case_study).sources.add(SourceFactory())
    MechanismUseFactory(case_study=case_study)
    ChallengeEncounterFactory(case_study=case_study)
    return case_study


@pytest.mark.usefixtures("empty_database")
def test_case_study_page_shows_its_claims_and_numbered_sources(client):
    EraFactory(name="Post-9/11", start_date="2001-09-11")
    case_study = make_case_study()
    participant = case_study.participation_set.first()
    response = client.get(case_study.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert participant.actor.get_absolute_url() in html
    assert case_study.mechanismuse_set.get().mechanism.name in html
    assert case_study.challengeencounter_set.get().challenge.name in html
    assert 'id="source-1"' in html
    assert "Post-9/11" in html


def test_drafts_are_not_public_but_editors_see_them_marked(client, editor):
    draft = CaseStudyFactory(status=Status.DRAFT, title="Secret draft")
    draft_actor = ActorFactory(status=Status.DRAFT, name="Draft actor")
    published = make_case_study()
    ParticipationFactory(case_study=published, actor=draft_actor)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft_actor.get_absolute_url()).status_code == 404
    for url in [reverse("home"), reverse("casestudies:list"), published.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "Secret draft" not in html
        assert "Draft actor" not in html

    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "badge-draft" in response.content.decode()
    assert "Draft actor" in client.get(published.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("empty_database")
def test_home_counts_published_entries_only(client):
    CaseStudyFactory.create_batch(2)
    CaseStudyFactory(status=Status.DRAFT)
    response = client.get(reverse("home"))
    assert response.context["counts"]["case studies"] == 2


def test_actor_page_shows_memberships_both_ways_and_case_studies(client):
    membership = MembershipFactory()
    participation = ParticipationFactory(actor=membership.organisation)
    alliance_page = client.get(membership.organisation.get_absolute_url()).content.decode()
    member_page = client.get(membership.member.get_absolute_url()).content.decode()
    assert membership.member.name in alliance_page
    assert participation.case_study.title in alliance_page
    assert membership.organisation.name in member_page


@pytest.mark.usefixtures("empty_database")
def test_actor_page_links_its_wikidata_item(client):
    actor = ActorFactory(wikidata_qid="Q7184")
    page = client.get(actor.get_absolute_url()).content.decode()
    assert '<a href="https://www.wikidata.org/wiki/Q7184">Q7184</a>' in page


def test_mechanism_and_challenge_pages_link_both_ways(client):
    mechanism = MechanismFactory()
    component = MechanismFactory(parent=mechanism)
    challenge = ChallengeFactory()
    challenge.mitigated_by.add(mechanism)
    use = MechanismUseFactory(mechanism=mechanism)
    mechanism_page = client.get(mechanism.get_absolute_url()).content.decode()
    challenge_page = client.get(challenge.get_absolute_url()).content.decode()
    assert component.get_absolute_url() in mechanism_page
    assert challenge.get_absolute_url() in mechanism_page
    assert use.case_study.get_absolute_url() in mechanism_page
    assert mechanism.get_absolute_url() in challenge_page


def test_markdown_body_is_rendered_and_sanitised(client):
    case_study = CaseStudyFactory(
        body="Some **bold** text.\n\n<script>alert(1)</script>[x](javascript:alert(2))"
    )
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def build_rows(count):
    for _ in range(count):
        make_case_study()
        MembershipFactory()


LIST_PAGES = [
    "home",
    "casestudies:list",
    "cooperation:actor-list",
    "cooperation:mechanism-list",
    "cooperation:challenge-list",
    "region-list",
    "era-list",
]


@pytest.mark.parametrize("url_name", LIST_PAGES)
@pytest.mark.usefixtures("empty_database")
def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, url_name):
    build_rows(2)
    facet_index.current_snapshot()  # the case-study list's, built once per publication
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(url_name))
    build_rows(12)
    facet_index.current_snapshot()
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse(url_name)).status_code == 200


def test_participants_are_grouped_lead_first_adversary_last(client):
    case_study = CaseStudyFactory()
    for role, name in [("adversary", "Insurgents"), ("lead", "Alliance"), ("member", "State")]:
        ParticipationFactory(case_study=case_study, role=role, actor__name=name)
    html = client.get(case_study.get_absolute_url()).content.decode()
    assert (
        html.index("<h3>Lead</h3>")
        < html.index("<h3>Member</h3>")
        < html.index("<h3>Adversary</h3>")
    )


def test_draft_parents_and_countries_stay_hidden(client):
    parent = MechanismFactory(name="Secret parent", status=Status.DRAFT)
    child = MechanismFactory(parent=parent)
    case_study = CaseStudyFactory()
    case_study.countries.add(
        ActorFactory(name="Draftland", kind="state", country_code="DL", status=Status.DRAFT)
    )
    for url in [child.get_absolute_url(), reverse("cooperation:mechanism-list")]:
        assert "Secret parent" not in client.get(url).content.decode()
    assert "Draftland" not in client.get(case_study.get_absolute_url()).content.decode()


def test_year_filter_takes_whole_years_only(client):
    CaseStudyFactory()
    response = client.get(reverse("casestudies:list"), {"year_from": "2001.5"})
    assert "year_from" in response.context["filterset"].errors


@pytest.fixture
def linked(empty_database):
    region = RegionFactory(slug="europe")
    era = EraFactory(slug="post-9-11", start_date="2001-09-11")
    mechanism = MechanismFactory(slug="intel")
    MechanismFactory(parent=mechanism)
    challenge = ChallengeFactory(slug="politics")
    challenge.mitigated_by.add(mechanism)
    actor = ActorFactory(slug="nato", region=region)
    actor.sources.add(SourceFactory(slug="treaty"))
    MembershipFactory(organisation=actor)
    for index in range(2):
        case = CaseStudyFactory(slug=f"case-{index}")
        case.regions.add(region)
        case.sources.add(SourceFactory())
        ParticipationFactory(case_study=case, actor=actor)
        MechanismUseFactory(case_study=case, mechanism=mechanism)
        ChallengeEncounterFactory(case_study=case, challenge=challenge)
    return {"region": region, "era": era, "mechanism": mechanism, "challenge": challenge}


PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?region=europe&mechanism=intel&q=case&year_from=2000",
    "/case-studies/case-0/",
    "/case-studies/compare/?c=case-0&c=case-1",
    "/case-studies/compare/",
    "/actors/",
    "/actors/nato/",
    "/mechanisms/",
    "/mechanisms/intel/",
    "/challenges/",
    "/challenges/politics/",
    "/regions/",
    "/regions/europe/",
    "/eras/",
    "/eras/post-9-11/",
    "/sources/treaty/",
    "/search/?q=case",
    "/codebook/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_valid_accessible_html(client, linked, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    assert_well_formed_page(response.content.decode())


DETAIL_PAGES = [
    ("casestudies:detail", lambda objects: objects["case"]),
    ("cooperation:actor-detail", lambda objects: objects["actor"]),
    ("cooperation:mechanism-detail", lambda objects: objects["mechanism"]),
    ("cooperation:challenge-detail", lambda objects: objects["challenge"]),
    ("region-detail", lambda objects: objects["region"]),
    ("era-detail", lambda objects: objects["era"]),
]


def link_more(linked, count):
    actor = ActorFactory(slug=f"actor-{count}")
    for _ in range(count):
        case = CaseStudyFactory()
        case.regions.add(linked["region"])
        ParticipationFactory(case_study=case, actor=actor).sources.add(SourceFactory())
        MechanismUseFactory(case_study=case, mechanism=linked["mechanism"])
        ChallengeEncounterFactory(case_study=case, challenge=linked["challenge"])
        MembershipFactory(organisation=actor)
    return actor, case


@pytest.mark.parametrize(("url_name", "pick"), DETAIL_PAGES, ids=[p[0] for p in DETAIL_PAGES])
def test_detail_pages_run_a_fixed_number_of_queries(
    client, linked, django_assert_max_num_queries, url_name, pick
):
    actor, case = link_more(linked, 1)
    objects = {**linked, "actor": actor, "case": case}
    url = reverse(url_name, args=[pick(objects).slug])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    actor, case = link_more(linked, 15)
    for _ in range(10):
        ParticipationFactory(case_study=case).sources.add(SourceFactory())
    objects = {**linked, "actor": actor, "case": case}
    url = reverse(url_name, args=[pick(objects).slug])
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
