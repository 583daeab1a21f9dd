"""On PostgreSQL the facet index's search reads the narrow search rows
(casestudies/migrations/0012_search_rows.py), which triggers keep: whatever changes a case study,
its matches and ranks stay those of the case-study table itself."""

import numpy as np
import pytest
from django.db import connection

from casestudies.facet_index.matching import search_matches
from casestudies.models import CaseStudy
from cooperation.models import Status
from cooperation.search import search
from tests.factories import CaseStudyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

WORDS = ["quokka", "wombat", "quokka patrol", "coast", "-quokka wombat"]


def as_real(rank):
    """A rank as the database's `real` holds it (a float read from its text is a near value)."""
    return float(np.float32(rank))


def from_search_rows(words):
    found = search_matches(words)
    return sorted(zip(found.pks.tolist(), map(as_real, found.ranks), strict=True))


def from_case_studies(words):
    matched = search(CaseStudy.objects.published(), words).values_list("pk", "rank")
    return sorted((pk, as_real(rank)) for pk, rank in matched)


def assert_same_matches():
    for words in WORDS:
        assert from_search_rows(words) == from_case_studies(words), words


def test_search_rows_follow_every_change_to_the_case_studies(empty_database):
    draft = CaseStudyFactory(
        status=Status.DRAFT, title="Quokka patrol", summary="Along the quokka coast."
    )
    other = CaseStudyFactory(
        status=Status.PUBLISHED, title="Wombat watch", summary="A quokka, and another quokka."
    )
    assert [pk for pk, _ in from_search_rows("quokka")] == [other.pk]  # never the draft
    assert_same_matches()

    draft.status = Status.PUBLISHED
    draft.save()
    assert {pk for pk, _ in from_search_rows("quokka")} == {draft.pk, other.pk}
    assert_same_matches()

    draft.title = "Wombat patrol"
    draft.save()
    assert_same_matches()

    # Written past the ORM (a manual fix, a bulk update): the triggers see it all the same.
    CaseStudy.objects.filter(pk=other.pk).update(summary="Nothing to find here.")
    assert [pk for pk, _ in from_search_rows("quokka")] == [draft.pk]
    assert_same_matches()

    draft.status = Status.DRAFT  # withdrawn from the public
    draft.save()
    assert from_search_rows("patrol") == []
    assert_same_matches()

    other.delete()
    assert from_search_rows("wombat") == []
    assert_same_matches()


def test_emptying_the_case_studies_empties_the_search_rows(empty_database):
    CaseStudyFactory(status=Status.PUBLISHED, title="Quokka patrol")
    connection.check_constraints()  # PostgreSQL truncates only with no check pending
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE casestudies_casestudy CASCADE")  # as Django's flush does
        cursor.execute("SELECT count(*) FROM casestudies_searchrow")
        assert cursor.fetchone() == (0,)
