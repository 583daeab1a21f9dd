from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cooperation.exchange.importing import FixtureError, load_fixtures


class Command(BaseCommand):
    help = (
        "Load the atlas's JSON fixtures (by default every file in fixtures/, in name order). "
        "Every record is validated; one bad record loads nothing. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Fixture files to load instead.")

    def handle(self, *args, paths, **options):
        if not paths:
            paths = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        try:
            report = load_fixtures(paths)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {len(paths)} fixture files: {report.summary()}")
        )
