"""Every change the public could see logs which entries it changed, in the same transaction as
the content version (what the case-study facet index reads to catch up)."""

import pytest
from django.db import transaction

from cooperation.caching.versions import MOST_ENTRIES_LOGGED, one_version_change
from cooperation.models import ContentChange, Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    MembershipFactory,
    ParticipationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def logged_since(last):
    return set(ContentChange.objects.filter(pk__gt=last).values_list("entry_type", "entry_id"))


def last_logged():
    return ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_claim_logs_the_entry_it_belongs_to():
    case = CaseStudyFactory()
    actor = ActorFactory()
    last = last_logged()
    ParticipationFactory(case_study=case, actor=actor)
    assert logged_since(last) == {("casestudies.casestudy", case.pk)}
    last = last_logged()
    membership = MembershipFactory(member=actor)
    assert logged_since(last) == {
        ("cooperation.actor", actor.pk),
        ("cooperation.actor", membership.organisation_id),
    }


def test_links_changed_from_the_other_side_log_the_entries_on_both():
    case = CaseStudyFactory()
    actor = ActorFactory()
    last = last_logged()
    actor.operations_hosted.add(case)
    assert logged_since(last) == {
        ("cooperation.actor", actor.pk),
        ("casestudies.casestudy", case.pk),
    }
    last = last_logged()
    actor.operations_hosted.clear()  # which case studies lost the link is not known: everything
    assert logged_since(last) == {("", None)}


def test_a_record_that_is_no_ones_claim_logs_itself():
    last = last_logged()
    source = SourceFactory()
    assert logged_since(last) == {("cooperation.source", source.pk)}


def test_a_change_only_to_drafts_logs_nothing():
    draft = CaseStudyFactory(status=Status.DRAFT)
    last = last_logged()
    draft.summary = "Still a draft."
    draft.save()
    assert logged_since(last) == set()


def test_a_batch_logs_its_entries_once_or_everything_when_they_are_too_many():
    last = last_logged()
    with transaction.atomic(), one_version_change():
        cases = [CaseStudyFactory() for _ in range(3)]
        cases[0].save()
    assert logged_since(last) == {("casestudies.casestudy", case.pk) for case in cases}
    last = last_logged()
    with transaction.atomic(), one_version_change():
        for _ in range(MOST_ENTRIES_LOGGED + 1):
            SourceFactory()
    assert logged_since(last) == {("", None)}


def test_a_rolled_back_batch_logs_nothing():
    last = last_logged()
    with transaction.atomic():
        with one_version_change():
            CaseStudyFactory()
        transaction.set_rollback(True)
    assert logged_since(last) == set()
