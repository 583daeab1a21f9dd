import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cooperation.exchange.backups import FORMAT, register_format

# What a backup leaves out: sign-in sessions (everyone signs in again after a restore), and the
# log of what changed while this database ran (a restore logs a change of everything).
EXCLUDED = ["sessions", "cooperation.ContentChange"]
SUFFIXES = (".json", ".json.gz", ".json.bz2", ".json.xz")


class Command(BaseCommand):
    help = (
        "Back up the whole database, on any engine, as one JSON file that restore_atlas loads "
        "into an empty database: every record with its primary key, its full history, users, "
        "groups, permissions, API tokens and the admin log (not sessions). Read in one "
        "transaction, so the file is a consistent snapshot while the site keeps running. The "
        "file holds password hashes and API tokens: it is created readable by its owner only. "
        "See docs/backups.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output", type=Path, help=f"A new file ending in {', '.join(SUFFIXES)}."
        )

    def handle(self, *args, output, **options):
        if not output.name.endswith(SUFFIXES):
            raise CommandError(f"Name the backup file with one of {', '.join(SUFFIXES)}.")
        try:
            # Never overwrite an earlier backup; owner-only, since it holds credentials.
            os.close(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError as error:
            raise CommandError(f"{output} exists; choose a new name.") from error
        except OSError as error:
            raise CommandError(f"Cannot create {output}: {error}") from error
        register_format()
        # One snapshot for every table (SQLite's read transaction is one already); inside a
        # caller's transaction, the caller's.
        snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
        try:
            with transaction.atomic():
                if snapshot:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                call_command(
                    "dumpdata",
                    format=FORMAT,
                    exclude=EXCLUDED,
                    use_base_manager=True,  # every row, whatever a default manager would hide
                    output=str(output),
                    verbosity=0,
                )
        except BaseException:
            output.unlink(missing_ok=True)  # no half-written file that looks like a backup
            raise
        size = output.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {output} ({size:,} B)."))
