"""CSV injection: every export, public and staff, writes each hostile cell so that no spreadsheet
runs it as a formula, and quotes every text cell; the staff's exports still read back as they
were written."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperation.exchange.exporting import exported_models
from cooperation.exchange.importing import import_records, read_path
from cooperation.models import Actor, Region
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    MechanismFactory,
    MechanismUseFactory,
    RegionFactory,
)
from tests.support.hostile import CSV_FORMULAS, runs_as_formula

pytestmark = pytest.mark.django_db


def cells(text):
    """Every cell of `text`. Reading with QUOTE_NONNUMERIC fails on an unquoted cell that is not
    a number, so this also checks that every text cell is quoted: a separator inside one cannot
    start a new cell ("a;=1+1" stays one cell in a spreadsheet set to ";")."""
    for row in csv.reader(io.StringIO(text), quoting=csv.QUOTE_NONNUMERIC):
        yield from (cell for cell in row if isinstance(cell, str))


def assert_no_formula(text):
    running = [cell for cell in cells(text) if runs_as_formula(cell)]
    assert not running, running


def downloaded(response):
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_the_corpus_would_run_unguarded():
    """The check below can fail: written as they are, every corpus value but the two quoted
    ones is a formula to a spreadsheet."""
    running = [value for value in CSV_FORMULAS if runs_as_formula(value)]
    assert len(running) >= len(CSV_FORMULAS) - 4


@pytest.fixture
def hostile_names():
    for number, value in enumerate(CSV_FORMULAS):
        RegionFactory(slug=f"hostile-{number}", name=value)
        case = CaseStudyFactory(slug=f"hostile-case-{number}", title=value, summary=value)
        MechanismUseFactory(case_study=case, mechanism=MechanismFactory(name=f"{value} {number}"))
        ActorFactory(slug=f"hostile-actor-{number}", name=value)
    return CSV_FORMULAS


def test_api_csv_lists(client, hostile_names):
    text = downloaded(client.get("/api/v1/regions/?format=csv&page_size=100"))
    assert_no_formula(text)
    names = {row["name"] for row in csv.DictReader(io.StringIO(text))}
    # The guard is a visible leading ' and nothing else is changed.
    assert {"'" + value for value in hostile_names if runs_as_formula(value)} <= names
    assert "a;=1+1" in names


def test_site_export(client, hostile_names):
    assert_no_formula(downloaded(client.get(reverse("casestudies:export-csv"))))


def test_insight_tables(client, hostile_names):
    response = client.get(reverse("casestudies:statistics-csv", args=["mechanisms"]))
    assert_no_formula(downloaded(response))


def test_staff_export_from_the_admin(admin_client, hostile_names):
    response = admin_client.get(
        reverse("atlas-exchange"), {"model": "cooperation.actor", "format": "csv", "status": ""}
    )
    assert_no_formula(downloaded(response))


def test_staff_export_reads_back_as_it_was(hostile_names, tmp_path):
    call_command("export_atlas", str(tmp_path), "--format", "csv", stdout=io.StringIO())
    paths = {
        model._meta.label_lower: tmp_path / f"{model._meta.label_lower}.csv"
        for model in exported_models()
    }
    assert_no_formula(paths["cooperation.actor"].read_text())
    # Gone from the database, so the import writes them again from the file alone.
    Actor.objects.filter(slug__startswith="hostile-").delete()
    Region.objects.filter(slug__startswith="hostile-").delete()
    chosen = [paths["cooperation.region"], paths["cooperation.actor"]]
    report = import_records([(str(path), read_path(path)) for path in chosen])
    assert not report.rejected, report.rejected[:3]
    restored = Actor.objects.filter(slug__startswith="hostile-actor-").order_by("pk")
    assert [actor.name for actor in restored] == hostile_names
    regions = Region.objects.filter(slug__startswith="hostile-").order_by("pk")
    assert [region.name for region in regions] == hostile_names
