"""Every public page is well-formed HTML (no parse error under the HTML5 parsing rules), has one
main landmark, one h1, headings that do not skip levels, and labels for every form control; and
detail pages run a fixed number of queries however much is linked to them."""

import itertools
import re

import html5lib
import pytest
from django.urls import reverse

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

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
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
    html = response.content.decode()
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)  # raises on any parse error
    assert html.count("<main") == 1
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
        assert f'for="{control_id}"' in html, f"no label for #{control_id}"


DETAIL_PAGES = [
    ("casestudies:detail", lambda objects: objects["case"]),
    ("cooperation:actor-detail", lambda objects: objects["actor"]),
    ("cooperation:mechanism-detail", lambda objects: objects["mechanism"]),
    ("cooperation:challenge-detail", lambda objects: objects["challenge"]),
    ("region-detail", lambda objects: objects["region"]),
    ("era-detail", lambda objects: objects["era"]),
]


def grow(linked, count):
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
    actor, case = grow(linked, 1)
    objects = {**linked, "actor": actor, "case": case}
    url = reverse(url_name, args=[pick(objects).slug])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    actor, case = grow(linked, 15)
    for _ in range(10):
        ParticipationFactory(case_study=case).sources.add(SourceFactory())
    objects = {**linked, "actor": actor, "case": case}
    url = reverse(url_name, args=[pick(objects).slug])
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
