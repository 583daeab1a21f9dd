from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from cooperation.caching.versions import bump_content_version, one_version_change
from cooperation.exchange.backups import MIGRATE_FILLS, stored_models


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_atlas into a freshly migrated, empty database: every "
        "record comes back with its primary key and history, in one transaction (a failure "
        "leaves the database as it was). Refuses a database that already holds users or "
        "content. See docs/backups.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A file written by backup_atlas.")

    def handle(self, *args, backup, **options):
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not fully migrated: run `manage.py migrate` first.")
        holding = [
            f"{model._meta.label} ({model._base_manager.count()} rows)"
            for model in stored_models()
            if model not in MIGRATE_FILLS and model._base_manager.exists()
        ]
        if holding:
            more = f" and {len(holding) - 3} more tables" if len(holding) > 3 else ""
            raise CommandError(
                "Refusing to restore: this database already holds data, which a restore would "
                f"replace: {', '.join(holding[:3])}{more}. Restore into a new, migrated database."
            )
        try:
            with transaction.atomic():
                tables = connection.introspection.django_table_names(only_existing=True)
                connection.ops.execute_sql_flush(
                    connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
                )
                # Loading many-to-many links would otherwise record a new history entry for
                # every record that has them; the backup brings the real history.
                with override_settings(SIMPLE_HISTORY_ENABLED=False), one_version_change():
                    call_command("loaddata", str(backup), verbosity=0)
                bump_content_version()  # no page cached before the restore is served after it
        except Exception as error:
            raise CommandError(f"Nothing was restored. {error}") from error
        ContentType.objects.clear_cache()
        restored = sum(model._base_manager.count() for model in stored_models())
        self.stdout.write(self.style.SUCCESS(f"Restored {restored:,} rows from {backup}."))
