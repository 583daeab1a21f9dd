"""On PostgreSQL the facet index reads whole link tables packed into one value
(casestudies/facet_index/packed.py): the same pairs as reading the rows one by one."""

import pytest

from casestudies.facet_index.packed import packed_pairs
from casestudies.models import Participation
from tests.factories import CaseStudyFactory, ParticipationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def pairs_read(queryset):
    cases, values = packed_pairs(queryset)
    return sorted(zip(cases.tolist(), values.tolist(), strict=True))


def test_packed_pairs_are_the_rows_of_the_query(empty_database):
    participations = Participation.objects.values_list("case_study_id", "actor_id")
    assert pairs_read(participations) == []  # nothing to pack

    case_study = CaseStudyFactory()
    for _ in range(3):
        ParticipationFactory(case_study=case_study)
    ParticipationFactory()
    assert pairs_read(participations) == sorted(participations)
    # A filtered query, with parameters, packs only its own rows.
    own = participations.filter(case_study=case_study)
    assert pairs_read(own) == sorted(own) and len(own) == 3
