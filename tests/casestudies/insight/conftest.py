"""The insight pages' tests' data: a small atlas whose counts are worked out by hand, built once
for the package's tests in place of the project's fixtures."""

import pytest

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
    StateFactory,
)


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


@pytest.fixture(scope="package")
def insight_atlas_of_package(django_db_setup, django_db_blocker):
    with django_db_setup.replaced_by_own_data(django_db_blocker):
        build_insight_atlas()
        yield


@pytest.fixture
def insight_atlas(insight_atlas_of_package, db):
    """Instead of the atlas, build_insight_atlas()'s, built once for this package's tests."""
