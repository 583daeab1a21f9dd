"""Backups (docs/backups.md): what backup_atlas writes, restore_atlas brings back into an empty
database row for row (content, history, links, users, groups, tokens, the admin log); and on
PostgreSQL the same for pg_dump and pg_restore."""

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from rest_framework.authtoken.models import Token

from casestudies.models import CaseStudy, Participation
from cooperation.editorial.workflow import transition
from cooperation.exchange.backups import stored_models
from cooperation.models import ContentChange, ContentVersion, Region, Status, save_if_unchanged
from tests.factories import CaseStudyFactory, ParticipationFactory, SourceFactory

pytestmark = pytest.mark.django_db

ROOT = settings.BASE_DIR
# sign-ins; the cache token a restore replaces, and the log of the changes it made
NOT_BACKED_UP = {Session, ContentVersion, ContentChange}


def table_rows(link_ids=False):
    """Every stored table's rows, as comparable text, by model. Many-to-many link tables are
    compared without their own ids (loaddata numbers links afresh) unless `link_ids`."""
    tables = {}
    for model in stored_models():
        if model in NOT_BACKED_UP:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        if model._meta.auto_created and not link_ids:
            columns.remove(model._meta.pk.attname)
        rows = model._base_manager.order_by().values_list(*columns)
        tables[model._meta.label] = sorted(json.dumps(row, default=str) for row in rows)
    return tables


def report(link_ids):
    """What a restored database holds, and whether it takes new records (sequences restored);
    run in a separate process against the restored database (see `inspect`)."""
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    try:
        with transaction.atomic():
            Region.objects.create(name="After the restore", slug="after-the-restore")
            CaseStudyFactory(title="After the restore", slug="after-the-restore")  # and history
            transaction.set_rollback(True)
        new_records = "ok"
    except Exception as error:  # reported to the test, which shows it
        new_records = repr(error)
    return {
        "rows": table_rows(link_ids),
        "content_versions": content_versions(),
        "unapplied_migrations": len(unapplied),
        "new_records": new_records,
    }


def manage(database_url, *args):
    return subprocess.run(  # noqa: S603 - this interpreter, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def inspect(database_url, link_ids=False):
    script = (
        "import json, django; django.setup(); "
        "from tests.cooperation.exchange.test_backups import report; "
        f"print(json.dumps(report({link_ids})))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "cooperation.project.settings",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_url(name):
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def admin_connection():
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def new_database_url(tmp_path):
    """The URL of a new database, not yet migrated, on the engine the tests run on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if connection.vendor != "postgresql":
        pytest.skip(f"No scratch database for {connection.vendor}")
    name = f"atlas_restore_{uuid.uuid4().hex[:12]}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield postgres_url(name)
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def edited_atlas(atlas, django_user_model):
    """The atlas after a stretch of editorial work: accounts in both groups with a token,
    edits, a link change, a round of review, deletions (whose history points at rows that are
    gone) and admin log entries."""
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Reviewers")
    editor = django_user_model.objects.create_user("backup-editor", password="x", is_staff=True)
    editor.groups.add(editors)
    reviewer = django_user_model.objects.create_user("backup-reviewer", password="y")
    reviewer.is_staff = True
    reviewer.save()
    reviewer.groups.add(reviewers)
    Token.objects.create(user=editor)

    case = CaseStudy.objects.published().order_by("pk").first()
    case.summary = "A corrected summary, after review."
    case._history_user = editor
    save_if_unchanged(case, expected_version=case.version)
    case.regions.add(*Region.objects.exclude(case_studies=case)[:1])
    transition(
        CaseStudyFactory(slug="retired"),
        "archive",
        user=reviewer,
        comment="Withdrawn for the test.",
    )

    draft = CaseStudyFactory(slug="draft-under-review", status=Status.DRAFT)
    draft.sources.add(SourceFactory())
    ParticipationFactory(case_study=draft)
    transition(draft, "submit", user=editor)
    transition(draft, "send_back", user=reviewer, comment="Cite a second source.")
    Participation.objects.filter(case_study=case).first().delete()
    doomed = CaseStudyFactory(slug="withdrawn")
    ParticipationFactory(case_study=doomed)
    doomed.delete()

    LogEntry.objects.log_actions(
        user_id=reviewer.pk,
        queryset=CaseStudy.objects.filter(pk=case.pk),
        action_flag=CHANGE,
        change_message="Checked the corrected summary.",
    )
    return case


def backup(path):
    call_command("backup_atlas", str(path), stdout=io.StringIO())


def content_versions():
    return sorted(ContentVersion.objects.values_list("token", flat=True))


def flush():
    # PostgreSQL refuses TRUNCATE while deferred checks are pending in the test's transaction.
    connection.check_constraints()
    call_command("flush", "--noinput")
    connection.check_constraints()


@pytest.mark.slow
def test_restore_gives_back_every_row(edited_atlas, tmp_path, new_database_url):
    before = table_rows()
    assert before["casestudies.HistoricalCaseStudy"]  # there is history to lose
    assert before["casestudies.HistoricalParticipation"]
    assert before["authtoken.Token"] and before["admin.LogEntry"]
    backup(tmp_path / "atlas.json.gz")

    # Into a new database, migrated, as docs/backups.md says.
    migrated = manage(new_database_url, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    restored = manage(new_database_url, "restore_atlas", str(tmp_path / "atlas.json.gz"))
    assert restored.returncode == 0, restored.stderr
    after = inspect(new_database_url)
    differing = [label for label in before if before[label] != after["rows"].get(label)]
    assert differing == []  # names the tables, if any, before the row-by-row comparison
    assert after["rows"] == before
    assert after["new_records"] == "ok"
    assert after["unapplied_migrations"] == 0
    # Pages cached before the restore are never served after it.
    assert after["content_versions"]
    assert not set(after["content_versions"]) & set(content_versions())

    # Into this database, emptied by `flush`.
    flush()
    assert not CaseStudy.history.exists()
    call_command("restore_atlas", str(tmp_path / "atlas.json.gz"), stdout=io.StringIO())
    assert table_rows() == before


@pytest.fixture
def small_backup(empty_database):
    """Instead of the atlas, enough to back up, and quicker to back up."""
    case = CaseStudyFactory()
    case.sources.add(SourceFactory())
    ParticipationFactory(case_study=case)
    return case


def test_restore_refuses_a_database_that_holds_data(small_backup, tmp_path):
    backup(tmp_path / "atlas.json")
    small_backup.summary = "Written after the backup."
    small_backup.save()
    before = table_rows()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore_atlas", str(tmp_path / "atlas.json"))
    assert table_rows() == before


def test_a_failed_restore_changes_nothing(small_backup, tmp_path):
    backup(tmp_path / "atlas.json")
    records = json.loads((tmp_path / "atlas.json").read_text())
    records[-1]["fields"]["no_such_field"] = 1  # a damaged last record
    (tmp_path / "broken.json").write_text(json.dumps(records))
    flush()
    before = table_rows()
    with pytest.raises(CommandError, match=r"Nothing was restored.*no_such_field"):
        call_command("restore_atlas", str(tmp_path / "broken.json"))
    assert table_rows() == before


def test_a_backup_is_private_and_never_overwritten(small_backup, tmp_path):
    path = tmp_path / "atlas.json.gz"
    backup(path)
    assert path.stat().st_mode & 0o077 == 0
    size = path.stat().st_size
    with pytest.raises(CommandError, match="exists"):
        backup(path)
    assert path.stat().st_size == size


@pytest.mark.slow
@pytest.mark.postgres_only  # pg_dump backs up PostgreSQL only
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not installed",
)
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_give_back_every_row(edited_atlas, tmp_path, new_database_url):
    before = table_rows(link_ids=True)
    dump = tmp_path / "atlas.dump"
    source = postgres_url(connection.settings_dict["NAME"])
    commands = [
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", source],
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={new_database_url}",
            str(dump),
        ],
    ]
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)  # noqa: S603
        assert result.returncode == 0, result.stderr

    after = inspect(new_database_url, link_ids=True)
    assert after["rows"] == before
    assert after["content_versions"] == content_versions()
    assert after["new_records"] == "ok"
    assert after["unapplied_migrations"] == 0
