import datetime

import factory

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.models import (
    Actor,
    Challenge,
    Era,
    Mechanism,
    Membership,
    Region,
    Source,
    Status,
    Topic,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    publisher = "Example Publisher"
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")
    kind = Source.Kind.REPORT


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class EraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Era

    name = factory.Sequence(lambda n: f"Era {n}")
    slug = factory.Sequence(lambda n: f"era-{n}")
    start_date = datetime.date(2001, 9, 11)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = Actor.Kind.MILITARY_ALLIANCE
    summary = "An actor."
    status = Status.PUBLISHED


def unused_country_code(n):
    """The n-th two-letter code on from AA that no actor holds yet.

    The fixtures hold real codes (ES, FR, ...), so a plain sequence collides with them in
    whichever test happens to reach that number.
    """
    taken = set(Actor.objects.exclude(country_code="").values_list("country_code", flat=True))
    for i in range(n, n + 26 * 26):
        code = f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
        if code not in taken:
            return code
    raise LookupError("every two-letter country code is taken")


class StateFactory(ActorFactory):
    kind = Actor.Kind.STATE
    country_code = factory.Sequence(lambda n: unused_country_code(n))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(StateFactory)
    organisation = factory.SubFactory(ActorFactory)
    start_date = datetime.date(1949, 8, 24)


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    name = factory.Sequence(lambda n: f"Mechanism {n}")
    slug = factory.Sequence(lambda n: f"mechanism-{n}")
    category = Mechanism.Category.INTELLIGENCE_SHARING
    summary = "A mechanism."
    status = Status.PUBLISHED


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    name = factory.Sequence(lambda n: f"Challenge {n}")
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    category = Challenge.Category.POLITICAL
    summary = "A challenge."
    status = Status.PUBLISHED


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "A case study."
    start_date = datetime.date(2003, 8, 11)
    end_date = datetime.date(2014, 12, 28)
    outcome = CaseStudy.Outcome.MIXED
    status = Status.PUBLISHED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    case_study = factory.SubFactory(CaseStudyFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Participation.Role.MEMBER


class MechanismUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MechanismUse

    case_study = factory.SubFactory(CaseStudyFactory)
    mechanism = factory.SubFactory(MechanismFactory)


class ChallengeEncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeEncounter

    case_study = factory.SubFactory(CaseStudyFactory)
    challenge = factory.SubFactory(ChallengeFactory)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    summary = "A topic."
    body = "Some analysis."
    status = Status.PUBLISHED
