"""After a publication the facet index is brought up to date from the change log, not built
again, and answers exactly as SQL does; what it cannot patch it builds again."""

import random

import pytest
from django.contrib.auth.models import AnonymousUser

from casestudies import facet_index
from casestudies.facet_index import refresh
from casestudies.models import CaseStudy, MechanismUse, Participation
from cooperation.models import Actor, ContentChange, Mechanism, Region, Status
from tests.casestudies.facet_states import answers_as_sql, bound, index_answer, random_states
from tests.factories import CaseStudyFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_builds(monkeypatch):
    """The snapshot is built now, and any later build fails the test."""
    facet_index.current_snapshot()

    def refuse(*args):
        raise AssertionError("the snapshot was built again instead of brought up to date")

    monkeypatch.setattr(facet_index, "build", refuse)


def publish(case_study, **changes):
    for name, value in changes.items():
        setattr(case_study, name, value)
    case_study.status = Status.PUBLISHED
    case_study.save()


@pytest.mark.usefixtures("atlas", "no_builds")
def test_publications_edits_and_withdrawals_are_patched_in_and_answer_as_sql():
    published = list(CaseStudy.objects.published().order_by("title"))
    state = Actor.objects.published().filter(kind="state").first()
    mechanism = Mechanism.objects.published().last()
    # A draft published with a title between two others, its claims and its regions.
    draft = CaseStudyFactory(
        status=Status.DRAFT, title=published[3].title + " (b)", start_date="1999-02-03"
    )
    ParticipationFactory(case_study=draft, actor=state)
    MechanismUse.objects.create(case_study=draft, mechanism=mechanism, confidence="high")
    draft.regions.set(Region.objects.all()[:2])
    publish(draft)
    # Two more between the same two titles, and one before every title.
    publish(CaseStudyFactory(status=Status.DRAFT, title=published[10].title + " (c)"))
    publish(CaseStudyFactory(status=Status.DRAFT, title=published[10].title + " (b)"))
    publish(CaseStudyFactory(status=Status.DRAFT, title="  first of all", outcome="failure"))
    # An edit that moves a case study in every order, and one losing a participation.
    publish(published[20], title="Zz last", start_date=published[0].start_date, outcome="success")
    Participation.objects.filter(case_study=published[5]).first().delete()
    # Withdrawn from the public, and deleted.
    published[7].status = Status.DRAFT
    published[7].save()
    published[8].delete()

    index = facet_index.current_snapshot()
    assert index.size == CaseStudy.objects.published().count()
    assert {draft.pk, published[20].pk} <= set(index.pks.tolist())
    assert not {published[7].pk, published[8].pk} & set(index.pks.tolist())
    rng = random.Random(31)  # noqa: S311 - reproducible filter states, not secrets
    assert answers_as_sql(["", "mechanism=" + mechanism.slug, *random_states(rng, 60)], rng) > 30


@pytest.mark.usefixtures("atlas", "no_builds")
def test_a_draft_and_its_claims_are_never_patched_in():
    before = facet_index.current_snapshot()
    draft = CaseStudyFactory(status=Status.DRAFT, outcome="failure")
    ParticipationFactory(case_study=draft, actor=Actor.objects.published().first())
    after = facet_index.current_snapshot()
    assert draft.pk not in after.pks
    assert after.size == before.size
    assert len(after.actors.rows) == len(before.actors.rows)
    *_, result = index_answer("outcome=failure")
    assert draft.pk not in result


@pytest.mark.usefixtures("atlas")
def test_a_change_to_a_facets_values_builds_the_snapshot_again():
    first = facet_index.current_snapshot()
    actor = Actor.objects.published().first()
    actor.name = "Renamed actor"
    actor.save()
    rebuilt = facet_index.current_snapshot()
    assert rebuilt.built_at > first.built_at
    assert "Renamed actor" in rebuilt.actors.names


@pytest.mark.usefixtures("atlas", "no_builds")
def test_a_patch_takes_the_same_queries_for_one_case_study_or_many(
    django_assert_max_num_queries,
):
    publish(CaseStudyFactory(status=Status.DRAFT))
    # the version, the log, the version again, the rows, their titles' places, five link tables
    with django_assert_max_num_queries(10) as one:
        facet_index.current_snapshot()
    for number in range(12):
        publish(CaseStudyFactory(status=Status.DRAFT, title=f"Many {number:02}"))
    with django_assert_max_num_queries(len(one)):
        patched = facet_index.current_snapshot()
    assert patched.size == CaseStudy.objects.published().count()


@pytest.mark.usefixtures("atlas")
def test_a_change_committed_after_a_later_one_is_still_read():
    ContentChange.objects.create()
    start = refresh.log_position()
    late = ContentChange(pk=start.last + 1, entry_type="casestudies.casestudy", entry_id=1)
    ContentChange.objects.create(pk=start.last + 2, entry_type="casestudies.casestudy", entry_id=2)
    changes, position = refresh.changes_since(start)
    assert changes == [("casestudies.casestudy", 2)]
    assert start.last + 1 in position.pending  # not committed yet when the log was read
    late.save(force_insert=True)
    changes, position = refresh.changes_since(position)
    assert changes == [("casestudies.casestudy", 1)]
    assert start.last + 1 not in position.pending


@pytest.mark.usefixtures("atlas")
def test_many_changes_at_once_build_the_snapshot_again():
    first = facet_index.current_snapshot()
    for number in range(refresh.MOST_PATCHED + 1):
        CaseStudyFactory(title=f"Bulk {number}")
    rebuilt = facet_index.current_snapshot()
    assert rebuilt.built_at > first.built_at
    assert rebuilt.size == CaseStudy.objects.published().count()


@pytest.mark.usefixtures("atlas")
def test_search_words_kept_for_a_version_are_matched_again_after_a_publication():
    draft = CaseStudyFactory(status=Status.DRAFT, title="Operation Zanzibar Lighthouse")
    first = facet_index.answer(bound("q=zanzibar"), AnonymousUser())
    assert first.ordered_pks.tolist() == []
    publish(draft)
    again = facet_index.answer(bound("q=zanzibar&outcome=mixed"), AnonymousUser())
    assert again.ordered_pks.tolist() == [draft.pk]
