"""A small atlas of factory-made entries with a draft at every place one could leak, for the
API and page tests that need to know every row (the real atlas is too big to reason about)."""

import datetime
from types import SimpleNamespace

from casestudies.models import CaseStudy
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
    StateFactory,
    TopicFactory,
)


def build_small_atlas():
    """A small atlas with a draft at every place one could leak: a draft case study, a draft
    actor taking part in a published one, a draft mechanism used and a draft challenge met, a
    draft parent mechanism, a membership of a draft actor."""
    europe = RegionFactory(name="Europe", slug="europe")
    worldwide = RegionFactory(name="Worldwide", slug="worldwide")
    africa = RegionFactory(name="Africa", slug="africa")
    post_911 = EraFactory(
        name="After 9/11",
        slug="post-9-11",
        start_date=datetime.date(2001, 9, 11),
        end_date=datetime.date(2014, 6, 9),
    )
    isis = EraFactory(name="ISIS", slug="isis", start_date=datetime.date(2014, 6, 10))
    report = SourceFactory(slug="isaf-report", title="ISAF report")
    book = SourceFactory(slug="coalition-book", title="Coalition book")
    nato = ActorFactory(name="NATO", slug="nato", region=europe)
    canada = StateFactory(name="Canada", slug="canada", country_code="CA", region=europe)
    secret = StateFactory(name="Secretland", slug="secret", country_code="XS", status=Status.DRAFT)
    canada_in_nato = MembershipFactory(member=canada, organisation=nato)
    secret_in_nato = MembershipFactory(member=secret, organisation=nato)
    intel = MechanismFactory(name="Intelligence sharing", slug="intel")
    covert = MechanismFactory(name="Covert liaison", slug="covert", status=Status.DRAFT)
    ops = MechanismFactory(
        name="Joint operations",
        slug="ops",
        category="joint_operations",
        parent=covert,
    )
    politics = ChallengeFactory(name="Politics", slug="politics")
    politics.mitigated_by.add(intel, covert)
    leaks = ChallengeFactory(name="Leaks", slug="leaks", category="technology", status=Status.DRAFT)
    isaf = CaseStudyFactory(
        title="ISAF",
        slug="isaf",
        summary="The NATO-led security mission in Afghanistan.",
        start_date=datetime.date(2003, 8, 11),
        end_date=datetime.date(2014, 12, 28),
        outcome=CaseStudy.Outcome.MIXED,
    )
    isaf.regions.add(worldwide)
    isaf.countries.add(canada, secret)
    isaf.sources.add(report)
    lead = ParticipationFactory(case_study=isaf, actor=nato, role="lead", contribution="Command.")
    lead.sources.add(report)
    ParticipationFactory(case_study=isaf, actor=canada)
    hidden_participation = ParticipationFactory(case_study=isaf, actor=secret)
    MechanismUseFactory(case_study=isaf, mechanism=intel)
    MechanismUseFactory(case_study=isaf, mechanism=covert)
    ChallengeEncounterFactory(case_study=isaf, challenge=politics)
    ChallengeEncounterFactory(case_study=isaf, challenge=leaks)
    sahel = CaseStudyFactory(
        title="Sahel task force",
        slug="sahel",
        summary="A European task force in the Sahel.",
        start_date=datetime.date(2020, 3, 27),
        end_date=None,
        outcome=CaseStudy.Outcome.TOO_EARLY,
    )
    sahel.regions.add(africa, europe)
    ParticipationFactory(case_study=sahel, actor=canada, role="partner")
    MechanismUseFactory(case_study=sahel, mechanism=ops)
    plan = CaseStudyFactory(
        title="Secret plan",
        slug="secret-plan",
        summary="Not ready.",
        status=Status.DRAFT,
    )
    plan.regions.add(europe)
    draft_link = ParticipationFactory(case_study=plan, actor=canada)
    alliances = TopicFactory(
        title="Alliances", slug="alliances", body="[[actor:nato]] led [[case-study:isaf]]."
    )
    alliances.sources.add(book)
    secret_topic = TopicFactory(title="Secret topic", slug="secret-topic", status=Status.DRAFT)
    return SimpleNamespace(**locals())
