"""A case study's page and API detail show each claim's own sources, in title order, read in one
statement for the case study and all its claims; a claim the reader may not see shows none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Source, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    MechanismUseFactory,
    ParticipationFactory,
    SourceFactory,
)
from tests.support.api import client_for, get_json
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(db):
    """A case study citing one source; a participation citing two (added out of title order), a
    mechanism used citing a third, a challenge citing none; and a draft actor's participation
    citing a source nothing else cites."""
    case = CaseStudyFactory(slug="cited-case")
    case.sources.add(SourceFactory(slug="zulu", title="Zulu yearbook"))
    taking_part = ParticipationFactory(case_study=case, actor=ActorFactory(name="Actor in view"))
    taking_part.sources.add(
        SourceFactory(slug="bravo", title="Bravo report"),
        SourceFactory(slug="alpha", title="Alpha review"),
    )
    MechanismUseFactory(case_study=case).sources.add(
        SourceFactory(slug="charlie", title="Charlie brief")
    )
    ChallengeEncounterFactory(case_study=case)
    hidden = ParticipationFactory(
        case_study=case, actor=ActorFactory(name="Draft actor", status=Status.DRAFT)
    )
    hidden.sources.add(SourceFactory(slug="secret", title="Secret dossier"))
    return case


def slugs(sources):
    return [source["slug"] for source in sources]


def test_the_api_detail_gives_each_claim_its_own_sources_in_title_order(cited):
    detail = get_json(client_for(), "/api/v1/case-studies/cited-case/")
    assert slugs(detail["sources"]) == ["zulu"]
    assert [slugs(claim["sources"]) for claim in detail["participants"]] == [["alpha", "bravo"]]
    assert [slugs(claim["sources"]) for claim in detail["mechanisms"]] == [["charlie"]]
    assert [slugs(claim["sources"]) for claim in detail["challenges"]] == [[]]


def test_the_page_gives_each_claim_its_own_sources_in_title_order(client, cited):
    html = client.get(cited.get_absolute_url()).content.decode()
    claim = html[html.index(">Actor in view</a>") :].split("</li>", 1)[0]
    assert claim.index("Alpha review") < claim.index("Bravo report")
    assert "Charlie brief" not in claim and "Zulu yearbook" not in claim
    assert "Zulu yearbook" in html and "Charlie brief" in html


def test_a_claim_hidden_from_the_public_shows_none_of_its_sources(client, cited):
    assert "Secret dossier" not in client.get(cited.get_absolute_url()).content.decode()
    detail = get_json(client_for(), "/api/v1/case-studies/cited-case/")
    assert "secret" not in [
        slug for claim in detail["participants"] for slug in slugs(claim["sources"])
    ]
    editor = member_of("Editors", "edna")
    detail = get_json(client_for(editor), "/api/v1/case-studies/cited-case/")
    assert ["secret"] in [slugs(claim["sources"]) for claim in detail["participants"]]


@pytest.mark.parametrize("path", ["/case-studies/cited-case/", "/api/v1/case-studies/cited-case/"])
def test_the_sources_of_the_case_study_and_its_claims_are_one_statement(client, cited, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    source_table = connection.ops.quote_name(Source._meta.db_table)
    assert len([query for query in context if source_table in query["sql"]]) == 1


def test_changing_a_cited_source_changes_the_api_detail_etag(cited):
    before = client_for().get("/api/v1/case-studies/cited-case/")["ETag"]
    source = Source.objects.get(slug="charlie")
    source.title = "Charlie brief, revised"
    source.save()
    after = client_for().get("/api/v1/case-studies/cited-case/")
    assert after["ETag"] != before
    assert "Charlie brief, revised" in after.content.decode()
