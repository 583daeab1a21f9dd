"""Cutting a release: it holds exactly what the public saw, nothing that was a draft, and nothing
changes it afterwards, in the model or in the database; the changes between two releases are
exactly what happened between them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from casestudies.models import CaseStudy
from cooperation.editorial.workflow import transition
from cooperation.models import Release, ReleaseIsFrozen, ReleaseRecord, Status
from cooperation.releases.snapshot import cut_release, next_version
from tests.factories import CaseStudyFactory
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(db):
    return member_of("Reviewers", "rita")


def held(release, label):
    return set(release.records.filter(model=label).values_list("slug", flat=True))


def test_a_release_holds_what_the_public_sees_and_no_draft(small_atlas):
    release = cut_release("2027.1", notes="First.")
    assert held(release, "casestudies.casestudy") == {"isaf", "sahel"}
    assert "secret" not in held(release, "cooperation.actor")
    assert held(release, "cooperation.topic") == {"alliances"}
    isaf = release.records.get(model="casestudies.casestudy", slug="isaf").fields
    assert small_atlas.secret.pk not in isaf["countries"]  # a draft country is not in it
    participants = release.records.filter(model="casestudies.participation")
    assert small_atlas.hidden_participation.pk not in {r.object_id for r in participants}
    assert all("review_note" not in r.fields for r in release.records.all())
    assert release.counts["casestudies.casestudy"] == 2


def test_nothing_changes_a_release_once_cut(small_atlas, rita):
    release = cut_release("2027.1", notes="First.")
    before = list(release.records.order_by("pk").values_list("fields", flat=True))
    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.summary = "Rewritten after the release."
    isaf.save()
    CaseStudy.objects.filter(slug="secret-plan").update(status=Status.PUBLISHED)
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Duplicate.")
    after = list(Release.objects.get(pk=release.pk).records.order_by("pk"))
    assert [record.fields for record in after] == before


def test_the_model_refuses_to_change_a_release(small_atlas):
    release = cut_release("2027.1", notes="First.")
    record = release.records.first()
    release.notes = "Rewritten."
    with pytest.raises(ReleaseIsFrozen):
        release.save()
    with pytest.raises(ReleaseIsFrozen):
        record.delete()
    with pytest.raises(ReleaseIsFrozen):
        ReleaseRecord.objects.filter(release=release).update(name="x")
    with pytest.raises(ReleaseIsFrozen):
        Release.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cooperation_release SET notes = 'x'",
        "DELETE FROM cooperation_release",
        "UPDATE cooperation_releaserecord SET name = 'x'",
        "DELETE FROM cooperation_releaserecord",
    ],
)
def test_the_database_refuses_to_change_a_release(small_atlas, statement):
    cut_release("2027.1", notes="First.")
    with (
        pytest.raises(DatabaseError, match="cannot change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Release.objects.get().notes == "First."


def test_numbers_are_year_dot_n_and_always_go_up(small_atlas):
    with pytest.raises(ValidationError, match=r"YEAR\.N"):
        cut_release("27.1", notes="x")
    cut_release("2027.2", notes="x")
    with pytest.raises(ValidationError, match=r"would not come after 2027\.2"):
        cut_release("2027.1", notes="x")
    with pytest.raises(ValidationError, match="already exists"):
        cut_release("2027.2", notes="x")
    assert next_version(today=__import__("datetime").date(2027, 5, 1)) == "2027.3"


def test_changes_are_exactly_what_happened_between_two_releases(small_atlas, rita):
    first = cut_release("2027.1", notes="First.")
    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.summary = "Corrected."
    isaf.save()
    added = CaseStudyFactory(slug="new-case", title="A new case")
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Merged.")
    second = cut_release("2027.2", notes="Second.")

    changes = second.changes["casestudies.casestudy"]
    assert changes["added"] == [[added.pk, "A new case"]]
    assert changes["changed"] == [[isaf.pk, "ISAF", ["summary"]]]
    assert changes["withdrawn"] == [[small_atlas.sahel.pk, "Sahel task force"]]
    # Sahel's claims went with it; nothing else changed.
    assert set(second.changes) == {
        "casestudies.casestudy",
        "casestudies.participation",
        "casestudies.mechanismuse",
    }
    assert second.previous == first
    # The unchanged case study was last changed in the first release, the corrected one in the
    # second: what citations name.
    record = second.records.get(model="casestudies.casestudy", slug="isaf")
    assert record.changed_in == second
    kept = second.records.get(model="cooperation.actor", slug="nato")
    assert kept.changed_in == first


def test_an_unchanged_atlas_gives_a_release_with_no_changes(small_atlas):
    cut_release("2027.1", notes="First.")
    assert cut_release("2027.2", notes="Nothing new.").changes == {}
    assert Status.PUBLISHED  # the statuses the snapshot filters by exist
