"""The case-study filters shared by the list page, its exports and the API."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory

from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy
from cooperation.models import Actor, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    EraFactory,
    MechanismUseFactory,
    ParticipationFactory,
    RegionFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def titles(query, user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    filterset = CaseStudyFilterSet(
        QueryDict(query), queryset=CaseStudy.objects.published(), request=request
    )
    return [case_study.title for case_study in filterset.qs]


@pytest.fixture
def cases(empty_database):
    europe, africa = RegionFactory(slug="europe"), RegionFactory(slug="africa")
    a = CaseStudyFactory(title="A", start_date=datetime.date(1999, 1, 1),
                         end_date=datetime.date(2003, 6, 30), outcome="success")  # fmt: skip
    b = CaseStudyFactory(title="B", start_date=datetime.date(2005, 1, 1), end_date=None,
                         outcome="too_early")  # fmt: skip
    c = CaseStudyFactory(title="C", start_date=datetime.date(2015, 6, 1),
                         end_date=datetime.date(2016, 12, 31), outcome="failure")  # fmt: skip
    a.regions.add(europe)
    b.regions.add(europe, africa)
    c.regions.add(africa)
    intel = MechanismUseFactory(case_study=a, mechanism__slug="intel").mechanism
    MechanismUseFactory(case_study=b, mechanism=intel)
    MechanismUseFactory(case_study=c, mechanism__slug="ops")
    ChallengeEncounterFactory(case_study=c, challenge__slug="politics")
    ParticipationFactory(case_study=a, actor=StateFactory(slug="canada"))
    ParticipationFactory(case_study=b, actor__slug="nato")
    return a, b, c


def test_several_values_of_one_filter_mean_any_and_match_once(cases):
    assert titles("region=europe&region=africa") == ["A", "B", "C"]


def test_different_filters_must_all_hold(cases):
    assert titles("region=africa&mechanism=intel") == ["B"]
    assert titles("region=europe&outcome=success&outcome=ongoing&mechanism=intel") == ["A", "B"]


def test_many_to_many_facets(cases):
    assert titles("challenge=politics") == ["C"]
    assert titles("actor=canada&actor=nato") == ["A", "B"]
    assert titles(f"actor_kind={Actor.Kind.STATE}") == ["A"]


def test_era_follows_start_date(cases):
    EraFactory(slug="post-cold-war", start_date="1991-12-27", end_date="2001-09-10")
    EraFactory(slug="post-9-11", start_date="2001-09-11", end_date="2014-06-09")
    assert titles("era=post-cold-war") == ["A"]
    assert titles("era=post-9-11&era=post-cold-war") == ["A", "B"]


def test_year_range_keeps_case_studies_active_in_it(cases):
    assert titles("year_from=2006&year_to=2010") == ["B"]
    assert titles("year_to=2000") == ["A"]
    assert titles("year_from=2003&year_to=2003") == ["A"]
    assert titles("year_from=2016") == ["B", "C"]


def test_ordering(cases):
    assert titles("ordering=-start") == ["C", "B", "A"]
    assert titles("ordering=title") == ["A", "B", "C"]


@pytest.mark.usefixtures("empty_database")
def test_search_ranks_title_matches_first():
    CaseStudyFactory(title="Maritime patrols", summary="Naval escorts.", body="")
    CaseStudyFactory(title="Shared databases", summary="Including maritime data.", body="")
    CaseStudyFactory(title="Unrelated", summary="Nothing here.", body="")
    assert titles("q=maritime") == ["Maritime patrols", "Shared databases"]


def test_draft_slugs_are_not_accepted_for_the_public(cases, editor):
    draft = ActorFactory(slug="secret", status=Status.DRAFT)
    ParticipationFactory(case_study=cases[0], actor=draft)
    assert titles("actor=secret") == ["A", "B", "C"]  # an unknown value filters nothing
    assert titles("actor=secret", user=editor) == ["A"]
