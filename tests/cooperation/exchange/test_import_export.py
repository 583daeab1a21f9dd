"""Bulk export and import: round trips, dry runs, all or nothing, and rights."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Participation
from cooperation.exchange.exporting import export_records, exported_models, records_to_json
from cooperation.exchange.importing import import_records, read_path
from cooperation.models import Actor, StagedImport, Status

pytestmark = pytest.mark.django_db


def canonical():
    return json.loads(records_to_json(export_records()))


def empty_the_atlas():
    for model in reversed(exported_models()):
        self_links = [f.name for f in model._meta.concrete_fields if f.related_model is model]
        model._default_manager.update(**dict.fromkeys(self_links))
        model._default_manager.all().delete()


@pytest.fixture
def curated(atlas):
    """The fixtures plus entries in every workflow state."""
    # Entries no published topic refers to: the workflow keeps those published.
    CaseStudy.objects.filter(slug="operation-serval-mali").update(status=Status.IN_REVIEW)
    Actor.objects.filter(slug="enisa").update(status=Status.ARCHIVED)


@pytest.mark.slow
def test_json_round_trip_into_an_empty_database_gives_the_same_data(curated, tmp_path):
    before = canonical()
    path = tmp_path / "atlas.json"
    call_command("export_atlas", str(path), stdout=io.StringIO())
    empty_the_atlas()
    assert not CaseStudy.objects.exists()

    call_command("import_atlas", str(path), stdout=io.StringIO())
    assert canonical() == before
    assert CaseStudy.objects.get(slug="operation-serval-mali").status == Status.IN_REVIEW
    isaf = CaseStudy.objects.get(slug="isaf-afghanistan")
    assert isaf.sources.count() == 6 and isaf.participation_set.count() > 3


@pytest.mark.slow
def test_csv_round_trip_model_by_model(curated, tmp_path):
    before = canonical()
    call_command("export_atlas", str(tmp_path), "--format", "csv", stdout=io.StringIO())
    paths = [tmp_path / f"{model._meta.label_lower}.csv" for model in exported_models()]
    empty_the_atlas()
    report = import_records([(str(path), read_path(path)) for path in paths])
    assert not report.rejected, report.rejected[:3]
    assert canonical() == before


def test_filtered_export(atlas, tmp_path):
    CaseStudy.objects.filter(slug="five-eyes-ukusa").update(status=Status.DRAFT)
    path = tmp_path / "published.json"
    call_command(
        "export_atlas",
        str(path),
        "--model",
        "casestudies.casestudy",
        "--status",
        "published",
        stdout=io.StringIO(),
    )
    records = json.loads(path.read_text())
    slugs = {record["fields"]["slug"] for record in records}
    assert {record["model"] for record in records} == {"casestudies.casestudy"}
    assert "five-eyes-ukusa" not in slugs and "isaf-afghanistan" in slugs


def write_csv(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ACTOR_ROWS = [
    {"slug": "icrc", "name": "International Committee of the Red Cross", "kind": "ngo",
     "summary": "A humanitarian organisation.", "status": "draft"},
    {"slug": "nato", "name": "North Atlantic Treaty Organization", "kind": "military_alliance",
     "summary": "Changed summary.", "status": "published"},
    {"slug": "canada", "name": "Canada", "kind": "state", "summary": "Same as before?",
     "status": "published"},
]  # fmt: skip


def test_dry_run_reports_every_row_and_writes_nothing(atlas, tmp_path, capsys):
    canada = Actor.objects.get(slug="canada")
    rows = [dict(row) for row in ACTOR_ROWS]
    rows[2]["summary"] = canada.summary
    path = write_csv(tmp_path / "cooperation.actor.csv", rows)
    before = canonical()

    out = io.StringIO()
    call_command("import_atlas", str(path), "--dry-run", stdout=out)
    report = out.getvalue()
    assert "record 1 (actor “icrc”): created" in report
    assert "record 2 (actor “nato”): changed" in report
    assert "record 3 (actor “canada”): unchanged" in report
    assert "Dry run: nothing was written." in report
    assert canonical() == before


def test_one_bad_row_writes_nothing_and_names_row_and_field(atlas, tmp_path):
    rows = [dict(row) for row in ACTOR_ROWS]
    rows[2] = {**rows[2], "kind": "planet"}
    path = write_csv(tmp_path / "cooperation.actor.csv", rows)
    before = canonical()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_atlas", str(path), stdout=io.StringIO(), stderr=err)
    assert "record 3 (actor “canada”): rejected: kind:" in err.getvalue()
    assert canonical() == before


def test_links_import_from_csv_with_natural_keys(atlas, tmp_path):
    path = write_csv(
        tmp_path / "casestudies.participation.csv",
        [
            {"case_study": "isaf-afghanistan", "actor": "interpol", "role": "partner",
             "contribution": "", "confidence": "low", "sources": "un-press-sc7248",
             "locators": "un-press-sc7248: third paragraph"},
        ],
    )  # fmt: skip
    call_command("import_atlas", str(path), stdout=io.StringIO())
    link = Participation.objects.get(case_study__slug="isaf-afghanistan", actor__slug="interpol")
    assert link.role == "partner"
    assert list(link.sources.values_list("slug", flat=True)) == ["un-press-sc7248"]


def test_an_editors_import_cannot_publish(atlas, django_user_model):
    editor = django_user_model.objects.create_user("eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    records = [{"model": "cooperation.actor", "fields": row} for row in ACTOR_ROWS[:2]]
    report = import_records([("upload", records)], user=editor)
    assert [row.outcome for row in report.rows] == ["created", "rejected"]
    # nato is published in the atlas: the refusal says so, not that the file's record is
    assert report.rows[1].message == (
        "this actor is published in the atlas; only reviewers may change it by import "
        "(edit it in the admin instead)"
    )
    assert not Actor.objects.filter(slug="icrc").exists()

    new_but_published = {**ACTOR_ROWS[0], "slug": "msf", "status": "published"}
    report = import_records(
        [("upload", [{"model": "cooperation.actor", "fields": new_but_published}])], user=editor
    )
    assert "the file gives it the status “published”; only reviewers" in report.rows[0].message
    assert not Actor.objects.filter(slug="msf").exists()


def test_an_import_runs_the_publication_checks(atlas):
    published = CaseStudy.objects.get(slug="isaf-afghanistan")
    draft_actor = {**ACTOR_ROWS[0], "slug": "gulf-commission", "name": "Gulf Commission"}
    records = [
        {"model": "cooperation.actor", "fields": draft_actor},
        {
            "model": "casestudies.participation",
            "fields": {
                "case_study": ["isaf-afghanistan"],
                "actor": ["gulf-commission"],
                "role": "partner",
                "confidence": "low",
            },
        },
    ]
    before = canonical()
    report = import_records([("upload", records)])
    [refused] = report.rejected
    assert (refused.index, refused.label) == (1, report.rows[1].label)
    assert f"“{published}” cannot be published as the file has it:" in refused.message
    assert "the actor “Gulf Commission” (draft)" in refused.message
    assert "cites no source" in refused.message
    assert canonical() == before


def test_unknown_csv_columns_are_named(tmp_path):
    path = write_csv(tmp_path / "cooperation.actor.csv", [{"slug": "x", "colour": "red"}])
    with pytest.raises(CommandError, match=r"unknown column.*colour"):
        call_command("import_atlas", str(path), stdout=io.StringIO())


class TestAdminPages:
    def test_dry_run_upload_reports_and_writes_nothing(self, admin_client, atlas, tmp_path):
        path = write_csv(tmp_path / "actors.csv", ACTOR_ROWS[:1])
        before = canonical()
        with path.open("rb") as upload:
            response = admin_client.post(
                reverse("atlas-exchange"),
                {"file": upload, "model": "cooperation.actor", "dry_run": "on"},
            )
        html = response.content.decode()
        assert "1 created" in html and "Dry run" in html
        assert canonical() == before
        staged = response.context["staged"]
        assert "Import it now" in html and f'name="staged" value="{staged.pk}"' in html
        # The real run needs no second upload: the file was kept.
        done = admin_client.post(reverse("atlas-exchange"), {"staged": staged.pk})
        assert "<h3>1 created," in done.content.decode()  # not "Dry run: 1 created"
        assert Actor.objects.filter(slug="icrc").exists()
        again = admin_client.post(reverse("atlas-exchange"), {"staged": staged.pk}, follow=True)
        assert "no longer kept" in again.content.decode()  # used once

    def test_a_kept_file_is_its_uploaders_only(self, client, admin_user, atlas, django_user_model):
        other = django_user_model.objects.create_superuser("other", "o@atlas.test", "pw")
        staged = StagedImport.objects.create(
            user=other,
            name="actors.json",
            records=[{"model": "cooperation.actor", "fields": ACTOR_ROWS[0]}],
        )
        client.force_login(admin_user)
        response = client.post(reverse("atlas-exchange"), {"staged": staged.pk}, follow=True)
        assert "no longer kept" in response.content.decode()
        assert not Actor.objects.filter(slug="icrc").exists()

    def test_malformed_upload_is_a_form_error(self, admin_client, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text("[{")
        with path.open("rb") as upload:
            response = admin_client.post(reverse("atlas-exchange"), {"file": upload})
        assert "not valid JSON" in response.content.decode()

    def test_export_download(self, admin_client, atlas):
        response = admin_client.get(
            reverse("atlas-exchange"),
            {"model": "casestudies.casestudy", "format": "csv", "status": "published"},
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert response["Content-Disposition"].endswith('casestudies.casestudy.csv"')
        assert len(rows) == CaseStudy.objects.published().count()

    def test_audit_lists_recent_changes_for_reviewers_only(self, client, atlas, django_user_model):
        reviewer = django_user_model.objects.create_user("rita", is_staff=True)
        reviewer.groups.add(Group.objects.get(name="Reviewers"))
        editor = django_user_model.objects.create_user("eddie", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        actor = Actor.objects.get(slug="nato")
        actor._history_user = reviewer
        actor.summary = "Edited by Rita."
        actor.save()
        case = CaseStudy.objects.get(slug="isaf-afghanistan")
        case.summary = "Edited by someone else."
        case.save()

        client.force_login(editor)
        assert client.get(reverse("atlas-audit")).status_code == 403
        client.force_login(reviewer)
        response = client.get(reverse("atlas-audit"), {"user": "rita"})
        rows = response.context["rows"]
        assert [(row["who"].username, row["entry"]) for row in rows] == [
            ("rita", "North Atlantic Treaty Organization")
        ]
        response = client.get(reverse("atlas-audit"), {"model": "casestudies.casestudy"})
        assert {row["kind"] for row in response.context["rows"]} == {"case study"}


def test_a_first_load_is_the_starting_point_and_later_imports_keep_history(empty_database):
    """Into an empty atlas an import writes each record's first version in bulk at the end;
    into one with content every change is kept as it is made."""
    records = [{"model": "cooperation.actor", "fields": row} for row in ACTOR_ROWS[:1]]
    import_records([("first", records)])
    actor = Actor.objects.get()
    (first,) = actor.history.all()
    assert (first.history_type, first.version, first.summary) == ("+", 1, actor.summary)
    changed = [{**records[0], "fields": {**records[0]["fields"], "summary": "Changed."}}]
    import_records([("second", changed)])
    history = Actor.objects.get().history.all()
    assert [(row.history_type, row.summary) for row in history] == [
        ("~", "Changed."),
        ("+", actor.summary),
    ]
