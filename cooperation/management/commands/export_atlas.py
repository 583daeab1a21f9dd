from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from cooperation.exchange.exporting import (
    export_records,
    exported_models,
    records_to_csv,
    records_to_json,
)
from cooperation.models import Status


class Command(BaseCommand):
    help = (
        "Export the atlas, or a filtered part of it, as JSON in the fixture format (one file, "
        "importable with import_atlas or load_atlas) or as CSV (one file per model)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="A .json file, or a folder for CSV files.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP.MODEL",
            help="Export only this model (repeatable), e.g. casestudies.casestudy.",
        )
        parser.add_argument("--status", choices=Status.values, help="Only entries in this state.")
        parser.add_argument(
            "--slug",
            action="append",
            dest="slugs",
            help="Only entries with this slug (repeatable).",
        )

    def handle(self, *args, output, format, models, status, slugs, **options):
        selected = exported_models()
        if models:
            try:
                wanted = {apps.get_model(label) for label in models}
            except (LookupError, ValueError) as error:
                raise CommandError(f"Unknown model: {error}") from error
            selected = [model for model in selected if model in wanted]
        if format == "json":
            records = export_records(selected, status=status, slugs=slugs)
            output.write_text(records_to_json(records), encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(records)} records to {output}."))
            return
        output.mkdir(parents=True, exist_ok=True)
        for model in selected:
            records = export_records([model], status=status, slugs=slugs)
            path = output / f"{model._meta.label_lower}.csv"
            path.write_text(records_to_csv(records), encoding="utf-8", newline="")
            self.stdout.write(f"Wrote {len(records)} records to {path}.")
