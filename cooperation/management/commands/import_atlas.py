from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cooperation.exchange.importing import FixtureError, import_records, read_path


class Command(BaseCommand):
    help = (
        "Import records from JSON (the fixture format) or CSV files (named APP.MODEL.csv, or "
        "with --model). All or nothing: one rejected record and nothing is written. The report "
        "says for every record what was (or, with --dry-run, would be) created, changed or "
        "rejected, and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--model", metavar="APP.MODEL", help="The model of CSV input.")
        parser.add_argument("--quiet-rows", action="store_true", help="Report rejections only.")

    def handle(self, *args, paths, dry_run, model, quiet_rows, **options):
        try:
            batches = [(str(path), read_path(path, model)) for path in paths]
        except FixtureError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        total = sum(len(records) for _, records in batches)
        with tqdm(total=total, unit="record", disable=total < 200 or None) as bar:
            report = import_records(batches, dry_run=dry_run, progress=bar.update)
        for row in report.rows:
            if row.outcome == "rejected":
                self.stderr.write(self.style.ERROR(str(row)))
            elif not quiet_rows:
                self.stdout.write(str(row))
        if report.rejected:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
