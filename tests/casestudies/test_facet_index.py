"""The facet index answers exactly as SQL does, never counts a draft, and keeps up by itself."""

import random
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies import facet_index
from casestudies.facets import count_facets
from casestudies.models import CaseStudy, MechanismUse, Participation
from cooperation.exchange.importing import import_records
from cooperation.models import Actor, Mechanism, Status
from tests.casestudies.facet_states import (
    ORDERINGS,
    answers_as_sql,
    bound,
    index_answer,
    random_states,
)
from tests.factories import CaseStudyFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("atlas")
def test_the_index_counts_and_orders_what_sql_does_on_random_filter_states():
    rng = random.Random(23)  # noqa: S311 - reproducible filter states, not secrets
    ordered = answers_as_sql(["", *random_states(rng, 120)], rng)
    assert ordered == 121  # every state, those ranked by relevance to search words too


@pytest.mark.usefixtures("atlas")
def test_drafts_are_never_counted():
    published = CaseStudy.objects.published().first()
    draft_actor = Actor.objects.filter(kind="state").first()
    draft_actor.status = Status.DRAFT
    draft_actor.save()
    hidden = CaseStudyFactory(status=Status.DRAFT, outcome="failure", start_date="2010-01-01")
    MechanismUse.objects.create(
        case_study=hidden, mechanism=Mechanism.objects.published().first(), confidence="high"
    )
    ParticipationFactory(case_study=hidden, actor=Actor.objects.published().first())
    ParticipationFactory(
        case_study=published, actor=Actor.objects.published().exclude(kind="state").last()
    )
    rng = random.Random(5)  # noqa: S311 - reproducible filter states, not secrets
    for query in ["", "outcome=failure", "year_from=2009", *random_states(rng, 30)]:
        filterset, facets, result = index_answer(query)
        assert facets == count_facets(filterset, AnonymousUser()), query
        assert hidden.pk not in result
        actors = [
            value.value for facet in facets if facet.name == "actor" for value in facet.values
        ]
        assert draft_actor.slug not in actors


@pytest.mark.usefixtures("atlas")
def test_it_follows_an_import_a_restart_and_a_change_that_escaped_the_version(monkeypatch):
    def mixed():
        (outcome,) = [facet for facet in index_answer("")[1] if facet.name == "outcome"]
        return {value.value: value.count for value in outcome.values}["mixed"]

    before = mixed()
    case = CaseStudy.objects.published().exclude(outcome="mixed").first()
    record = {"model": "casestudies.casestudy", "fields": {"slug": case.slug, "outcome": "mixed"}}
    assert not import_records([("fix.json", [record])]).rejected
    assert mixed() == before + 1  # the import changed the version

    facet_index.forget()  # a restart
    assert mixed() == before + 1

    CaseStudy.objects.filter(pk=case.pk).update(outcome="failure")  # no version change
    assert mixed() == before + 1  # not seen yet...
    monkeypatch.setattr(facet_index, "MAX_AGE_SECONDS", -1)
    monkeypatch.setattr(facet_index, "REBUILD_IN_BACKGROUND", False)
    assert mixed() == before  # ...until the snapshot is too old


@pytest.mark.usefixtures("atlas")
def test_an_old_snapshot_goes_on_answering_while_one_rebuild_starts(monkeypatch):
    held = facet_index.current_snapshot()
    started = []

    class NotStartedThread:  # the rebuild itself runs on a connection of its own, not here
        def __init__(self, target, daemon):
            started.append(target)

        def start(self):
            pass

    monkeypatch.setattr(facet_index.threading, "Thread", NotStartedThread)
    monkeypatch.setattr(facet_index, "_rebuilding", threading.Event())
    monkeypatch.setattr(facet_index, "MAX_AGE_SECONDS", -1)
    assert facet_index.current_snapshot() is held
    assert facet_index.current_snapshot() is held
    assert started == [facet_index._rebuild_in_background]  # one rebuild, not one a request


@pytest.mark.usefixtures("atlas")
def test_the_public_list_counts_without_sql_and_editors_with_it(client, editor):
    client.get(reverse("casestudies:list"))  # builds the snapshot
    query = {"region": "europe", "outcome": "mixed"}
    with CaptureQueriesContext(connection) as public:
        response = client.get(reverse("casestudies:list"), query)
    public_facets = response.context["facets"]
    assert not [q for q in public.captured_queries if "GROUP BY" in q["sql"]]
    assert not [q for q in public.captured_queries if "COUNT(" in q["sql"]]
    in_sql = bound("region=europe&outcome=mixed").qs
    assert response.context["paginator"].count == in_sql.count()
    assert [case.slug for case in response.context["casestudy_list"]] == list(
        in_sql.values_list("slug", flat=True)[:25]
    )
    client.force_login(editor)
    with CaptureQueriesContext(connection) as edited:
        editor_facets = client.get(reverse("casestudies:list"), query).context["facets"]
    assert [q for q in edited.captured_queries if "GROUP BY" in q["sql"]]
    # the atlas has no drafts, so both see the same counts
    assert [(f.shown, f.size) for f in public_facets] == [(f.shown, f.size) for f in editor_facets]


@pytest.mark.usefixtures("atlas")
def test_the_snapshot_is_small():
    snapshot = facet_index.current_snapshot()
    links = Participation.objects.count() + MechanismUse.objects.count()
    assert snapshot.size == CaseStudy.objects.published().count()
    assert snapshot.nbytes < 64 * (snapshot.size + links)  # bytes: a few integers a row


@pytest.mark.usefixtures("empty_database")
def test_building_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    CaseStudyFactory()
    # the version, the change log and the version again, then twelve reads
    with django_assert_max_num_queries(15) as few:
        facet_index.current_snapshot()
    facet_index.forget()
    for _ in range(10):
        ParticipationFactory(case_study=CaseStudyFactory())
    with django_assert_max_num_queries(len(few)):
        assert facet_index.current_snapshot().size == 11


@pytest.mark.usefixtures("atlas")
def test_the_api_list_answers_from_the_index_exactly_as_from_sql(client, settings):
    rng = random.Random(11)  # noqa: S311 - reproducible filter states, not secrets
    queries = [f"{q}&ordering={rng.choice(ORDERINGS[1:])}" for q in random_states(rng, 25)]
    for query in ["", "page=2&page_size=10", *queries]:
        settings.FACET_INDEX = True
        with CaptureQueriesContext(connection) as indexed_queries:
            indexed = client.get(f"/api/v1/case-studies/?{query}")
        settings.FACET_INDEX = False
        in_sql = client.get(f"/api/v1/case-studies/?{query}&_=sql")
        assert indexed.status_code == in_sql.status_code == 200, query
        assert indexed.json()["results"] == in_sql.json()["results"], query
        assert indexed.json()["count"] == in_sql.json()["count"], query
        assert indexed["Last-Modified"] == in_sql["Last-Modified"], query
        # no count or latest change taken over the filtered case studies
        assert not [
            q
            for q in indexed_queries.captured_queries
            if 'COUNT("casestudies_casestudy"' in q["sql"]
        ]


@pytest.mark.usefixtures("atlas")
def test_the_sidebar_gets_the_first_values_and_how_many_there_are():
    filterset = bound("region=europe&actor=nato")
    full = facet_index.answer(filterset, AnonymousUser())
    short = facet_index.answer(filterset, AnonymousUser(), limit=12)
    for whole, cut in zip(full.facets, short.facets, strict=True):
        assert cut.size == len(whole.values)
        assert cut.shown == whole.shown  # what the sidebar shows is the same
    (actors,) = [facet for facet in short.facets if facet.name == "actor"]
    assert len(actors.values) <= 13 < actors.size


@pytest.mark.usefixtures("atlas")
def test_a_starting_worker_builds_it_and_survives_a_database_that_cannot_answer(monkeypatch):
    facet_index.warm()
    built = facet_index.current_snapshot()
    assert built.size == CaseStudy.objects.published().count()

    def refuse(*args):
        raise OperationalError("the database is down")

    facet_index.forget()
    monkeypatch.setattr(facet_index, "build", refuse)
    facet_index.warm()  # logs, does not raise: the first request will build it
    monkeypatch.undo()
    assert facet_index.current_snapshot().size == built.size
