import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy, Participation
from cooperation.models import (
    Actor,
    Era,
    Mechanism,
    Membership,
    StaleEntryError,
    Status,
    save_if_unchanged,
)
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    EraFactory,
    MechanismFactory,
    MembershipFactory,
    ParticipationFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


class TestDatabaseRules:
    def test_case_study_cannot_end_before_it_starts(self):
        assert_rejected_by_database(
            CaseStudyFactory,
            start_date=datetime.date(2014, 1, 1),
            end_date=datetime.date(2013, 1, 1),
        )

    def test_an_end_date_has_a_precision_and_no_end_date_has_none(self):
        ended, active = CaseStudyFactory(), CaseStudyFactory(end_date=None)
        assert (ended.end_precision, active.end_precision) == ("day", "")  # as save() sets them
        rows = CaseStudy.objects.filter
        for query, change in [(rows(pk=ended.pk), ""), (rows(pk=active.pk), "day")]:
            with pytest.raises(IntegrityError), transaction.atomic():
                query.update(end_precision=change)

    def test_the_latest_possible_start_is_not_before_the_start(self):
        assert_rejected_by_database(
            CaseStudyFactory,
            start_date=datetime.date(2001, 9, 12),
            start_latest=datetime.date(2001, 9, 1),
        )

    def test_one_role_per_actor_per_case_study(self):
        first = ParticipationFactory()
        assert_rejected_by_database(
            ParticipationFactory,
            case_study=first.case_study,
            actor=first.actor,
            role=Participation.Role.LEAD,
        )

    @pytest.mark.usefixtures("empty_database")
    def test_slugs_are_unique(self):
        ActorFactory(slug="nato")
        assert_rejected_by_database(ActorFactory, slug="nato")

    def test_only_states_have_country_codes(self):
        assert_rejected_by_database(ActorFactory, kind=Actor.Kind.NGO, country_code="FR")

    def test_actor_is_not_a_member_of_itself(self):
        actor = ActorFactory()
        assert_rejected_by_database(MembershipFactory, member=actor, organisation=actor)

    def test_membership_cannot_end_before_it_starts(self):
        assert_rejected_by_database(
            MembershipFactory,
            start_date=datetime.date(2000, 1, 1),
            end_date=datetime.date(1999, 1, 1),
        )


class TestValidationMessages:
    """The same rules, as the friendly messages an editor sees on the field."""

    def test_end_before_start_is_named(self):
        case_study = CaseStudyFactory.build(
            start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2013, 1, 1)
        )
        with pytest.raises(ValidationError, match="end date cannot be before the start date"):
            case_study.full_clean()

    def test_state_needs_country_code(self):
        state = ActorFactory.build(kind=Actor.Kind.STATE, country_code="")
        with pytest.raises(ValidationError) as error:
            state.full_clean()
        assert "country_code" in error.value.message_dict

    def test_wikidata_qid_must_be_q_and_digits(self):
        actor = ActorFactory.build(wikidata_qid="7184")
        with pytest.raises(ValidationError) as error:
            actor.full_clean()
        assert "wikidata_qid" in error.value.message_dict

    def test_mechanism_cannot_be_its_own_ancestor(self):
        parent = MechanismFactory()
        child = MechanismFactory(parent=parent)
        parent.parent = child
        with pytest.raises(ValidationError) as error:
            parent.full_clean()
        assert "parent" in error.value.message_dict

    def test_eras_cannot_overlap(self):
        EraFactory(start_date=datetime.date(1991, 12, 27), end_date=datetime.date(2001, 9, 10))
        overlapping = EraFactory.build(start_date=datetime.date(2000, 1, 1))
        with pytest.raises(ValidationError, match="overlap"):
            overlapping.full_clean()

    def test_duplicate_participation_is_a_form_error(self):
        first = ParticipationFactory()
        duplicate = Participation(case_study=first.case_study, actor=first.actor, role="lead")
        with pytest.raises(ValidationError, match="already takes part"):
            duplicate.full_clean()


class TestEra:
    @pytest.mark.usefixtures("empty_database")
    def test_case_study_era_follows_from_its_start_date(self):
        EraFactory(
            slug="post-cold-war",
            start_date=datetime.date(1991, 12, 27),
            end_date=datetime.date(2001, 9, 10),
        )
        post_9_11 = EraFactory(slug="post-9-11", start_date=datetime.date(2001, 9, 11))
        case_study = CaseStudyFactory(start_date=datetime.date(2001, 9, 12))

        assert case_study.era == post_9_11
        annotated = CaseStudy.objects.with_era().get(pk=case_study.pk)
        assert annotated.era_slug == "post-9-11"

        case_study.start_date = datetime.date(1999, 3, 24)
        case_study.save()
        assert CaseStudy.objects.with_era().get(pk=case_study.pk).era_slug == "post-cold-war"

    def test_date_before_every_era_has_none(self):
        EraFactory(start_date=datetime.date(1945, 9, 2))
        assert Era.objects.containing(datetime.date(1900, 1, 1)).first() is None


class TestPublishing:
    def test_published_at_is_set_once_and_kept(self):
        actor = ActorFactory(status=Status.DRAFT)
        assert actor.published_at is None
        actor.status = Status.PUBLISHED
        actor.save()
        first_published = actor.published_at
        assert first_published is not None
        actor.name = "Renamed"
        actor.save()
        actor.refresh_from_db()
        assert actor.published_at == first_published

    @pytest.mark.usefixtures("empty_database")
    def test_public_sees_published_only(self, editor):
        published = MechanismFactory()
        draft = MechanismFactory(status=Status.DRAFT)
        assert list(Mechanism.objects.visible_to(AnonymousUser())) == [published]
        assert set(Mechanism.objects.visible_to(editor)) == {published, draft}

    @pytest.mark.usefixtures("empty_database")
    def test_links_to_a_draft_are_hidden_from_the_public(self, editor):
        visible = ParticipationFactory()
        ParticipationFactory(actor=ActorFactory(status=Status.DRAFT))
        ParticipationFactory(case_study=CaseStudyFactory(status=Status.DRAFT))
        assert list(Participation.objects.visible_to(AnonymousUser())) == [visible]
        assert Participation.objects.visible_to(editor).count() == 3

    @pytest.mark.usefixtures("empty_database")
    def test_memberships_of_a_draft_actor_are_hidden(self):
        shown = MembershipFactory()
        MembershipFactory(member=StateFactory(status=Status.DRAFT))
        assert list(Membership.objects.visible_to(AnonymousUser())) == [shown]


class TestNaturalKeys:
    def test_link_round_trips_through_its_natural_key(self):
        link = ParticipationFactory()
        assert Participation.objects.get_by_natural_key(*link.natural_key()) == link

    @pytest.mark.usefixtures("empty_database")
    def test_membership_round_trips_through_its_natural_key(self):
        membership = MembershipFactory()
        assert Membership.objects.get_by_natural_key(*membership.natural_key()) == membership


class TestLostUpdates:
    def test_second_editor_from_the_same_version_is_refused(self):
        actor = ActorFactory(summary="Original.")
        first = Actor.objects.get(pk=actor.pk)
        second = Actor.objects.get(pk=actor.pk)

        first.summary = "First editor's text."
        save_if_unchanged(first, expected_version=first.version)
        second.summary = "Second editor's text."
        with pytest.raises(StaleEntryError, match="changed by someone else"):
            save_if_unchanged(second, expected_version=second.version)

        actor.refresh_from_db()
        assert actor.summary == "First editor's text."
        assert actor.version == 2

    def test_every_save_moves_the_version_on(self):
        actor = ActorFactory()
        assert actor.version == 1
        actor.save()
        actor.save(update_fields=["summary"])
        actor.refresh_from_db()
        assert actor.version == 3
