"""A case study's page and API detail list its participants by role (lead first), then by the
actor's name, and the mechanisms used and challenges met by name, whatever order they were
added in."""

import pytest

from casestudies.models import Participation
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    MechanismFactory,
    MechanismUseFactory,
    ParticipationFactory,
)
from tests.support.api import client_for, get_json

pytestmark = pytest.mark.django_db

Role = Participation.Role
PARTICIPANTS = [("Zambia", Role.LEAD), ("Austria", Role.PARTNER), ("Yemen", Role.MEMBER)]
PARTICIPANTS += [("Belgium", Role.LEAD), ("Chad", Role.MEMBER)]
PARTICIPANTS_IN_ORDER = ["Belgium", "Zambia", "Chad", "Yemen", "Austria"]
NAMED = ["Watch lists", "Air policing", "Maritime patrols"]
IN_NAME_ORDER = sorted(NAMED)


@pytest.fixture
def case(db):
    case = CaseStudyFactory(slug="ordered-case")
    for name, role in PARTICIPANTS:
        ParticipationFactory(case_study=case, actor=ActorFactory(name=name), role=role)
    for name in NAMED:
        MechanismUseFactory(case_study=case, mechanism=MechanismFactory(name=name))
        ChallengeEncounterFactory(case_study=case, challenge=ChallengeFactory(name=name))
    return case


def in_page_order(html, names):
    return sorted(names, key=lambda name: html.index(f">{name}</a>"))


def test_the_api_detail_lists_participants_by_role_then_name_and_the_rest_by_name(case):
    detail = get_json(client_for(), "/api/v1/case-studies/ordered-case/")
    participants = [claim["actor"]["name"] for claim in detail["participants"]]
    assert participants == PARTICIPANTS_IN_ORDER
    assert [claim["mechanism"]["name"] for claim in detail["mechanisms"]] == IN_NAME_ORDER
    assert [claim["challenge"]["name"] for claim in detail["challenges"]] == IN_NAME_ORDER


def test_the_page_lists_participants_by_role_then_name_and_the_rest_by_name(client, case):
    html = client.get(case.get_absolute_url()).content.decode()
    assert in_page_order(html, PARTICIPANTS_IN_ORDER) == PARTICIPANTS_IN_ORDER
    mechanisms = html[html.index('id="mechanisms-heading"') : html.index('id="challenges-heading"')]
    challenges = html[html.index('id="challenges-heading"') :]
    assert in_page_order(mechanisms, NAMED) == IN_NAME_ORDER
    assert in_page_order(challenges, NAMED) == IN_NAME_ORDER
