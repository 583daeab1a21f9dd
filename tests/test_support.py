"""The suite's shared database (tests/support/database.py), which every other test relies on:
each test starts from the atlas as loaded once per session, a test that asks for an empty
database gets what the migrations leave, and after a committed test the atlas comes back whole,
sequences included."""

import pytest
from django.db.models import Max

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory
from tests.support.database import capture


def rows(tables):
    return {name: sorted(map(repr, table.rows)) for name, table in tables.items()}


def test_a_test_starts_from_the_atlas_as_loaded(db, django_db_setup):
    assert CaseStudy.objects.filter(slug="isaf-afghanistan").exists()
    assert rows(capture()) == rows(django_db_setup.loaded)


def test_an_empty_database_is_what_the_migrations_leave(empty_database, django_db_setup):
    assert not CaseStudy.objects.exists()
    assert rows(capture()) == rows(django_db_setup.migrated)


@pytest.mark.django_db(transaction=True)
def test_the_loaded_atlas_comes_back_after_committed_changes(django_db_setup):
    CaseStudy.objects.filter(slug="isaf-afghanistan").delete()
    CaseStudyFactory(slug="committed")
    django_db_setup.restore_loaded()
    assert rows(capture()) == rows(django_db_setup.loaded)
    # The sequences were put back too: a new row gets a key above every restored one.
    highest = CaseStudy.objects.aggregate(highest=Max("pk"))["highest"]
    assert CaseStudyFactory().pk > highest
