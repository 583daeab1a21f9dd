"""A fixed number of queries per list, detail and CSV, whatever the size of the atlas."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies import facet_index
from casestudies.models import CaseStudy
from cooperation.models import Region
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
from tests.support.api import RESOURCES, client_for, get_json, make_editor, read_csv

pytestmark = pytest.mark.django_db


# Queries: a fixed number per list, whatever its size


def grow(count):
    """`count` more entries of every kind, each with what its list representation embeds."""
    region = Region.objects.get_or_create(slug="europe", defaults={"name": "Europe"})[0]
    for _ in range(count):
        source = SourceFactory()
        case_study = CaseStudyFactory()
        case_study.regions.add(region, RegionFactory())
        participation = ParticipationFactory(case_study=case_study, actor=StateFactory())
        participation.sources.add(source)
        MechanismUseFactory(
            case_study=case_study, mechanism=MechanismFactory(parent=MechanismFactory())
        ).sources.add(source)
        ChallengeEncounterFactory(case_study=case_study, challenge=ChallengeFactory())
        MembershipFactory(organisation=ActorFactory(region=region)).sources.add(source)
        EraFactory(start_date=datetime.date(1000 + len(Region.objects.all()), 1, 1))
        TopicFactory(body=f"[[case-study:{case_study.slug}]]").sources.add(source)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content
    return len(context), response


def test_every_list_runs_a_fixed_number_of_queries(
    empty_database, django_user_model, django_assert_max_num_queries
):
    editor = make_editor(django_user_model)
    paths = [f"/api/v1/{resource}/?page_size=100" for resource in RESOURCES]
    paths += ["/api/v1/case-studies/?region=europe&actor_kind=state&ordering=-start&page_size=100"]

    def fresh(user):
        # A new user object each time, so its permissions are loaded in every request alike.
        return None if user is None else django_user_model.objects.get(pk=user.pk)

    grow(2)
    facet_index.current_snapshot()  # built or brought up to date as a change is first read
    small = {}
    for role, user in [("anonymous", None), ("editor", editor)]:
        for path in paths:
            small[role, path], _ = count_queries(client_for(fresh(user)), path)
    grow(18)
    facet_index.current_snapshot()
    for role, user in [("anonymous", None), ("editor", editor)]:
        for path in paths:
            client = client_for(fresh(user))
            with django_assert_max_num_queries(small[role, path]):
                response = client.get(path)
            assert response.json()["count"] >= 20, path


def test_every_detail_runs_a_fixed_number_of_queries(
    empty_database, django_user_model, django_assert_max_num_queries
):
    grow(2)
    paths = {
        resource: get_json(client_for(), f"/api/v1/{resource}/")["results"][0]["url"]
        for resource in RESOURCES
    }
    small = {resource: count_queries(client_for(), path)[0] for resource, path in paths.items()}
    grow(18)
    case_study = CaseStudy.objects.get(slug=paths["case-studies"].rstrip("/").rsplit("/", 1)[1])
    for _ in range(10):
        link = ParticipationFactory(case_study=case_study)
        link.sources.add(SourceFactory(), SourceFactory())
        MechanismUseFactory(case_study=case_study)
    for resource, path in paths.items():
        with django_assert_max_num_queries(small[resource]):
            assert client_for().get(path).status_code == 200


def test_csv_streams_in_a_fixed_number_of_queries(empty_database, django_assert_max_num_queries):
    grow(2)
    small, _ = count_queries(client_for(), "/api/v1/case-studies/?format=csv")
    grow(18)
    with django_assert_max_num_queries(small):
        response = client_for().get("/api/v1/case-studies/?format=csv")
        rows = read_csv(response)
    assert len(rows) == 21
