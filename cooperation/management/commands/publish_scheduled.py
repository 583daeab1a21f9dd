"""Take the workflow steps reviewers scheduled that are due (cooperation.editorial.scheduling).
Run it from cron every minute; it takes each step once, so overlapping or repeated runs are
harmless:

    * * * * *  cd /srv/atlas && .venv/bin/python manage.py publish_scheduled --quiet
"""

from django.core.management.base import BaseCommand

from cooperation.editorial.scheduling import run_due
from cooperation.models import Schedule


class Command(BaseCommand):
    help = "Publish, publish the changes of, or archive the entries whose scheduled time has come."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what is due; change nothing."
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing when nothing was due (for cron)."
        )

    def handle(self, *args, dry_run=False, quiet=False, **options):
        if dry_run:
            due = list(Schedule.objects.due())
            for scheduled in due:
                self.stdout.write(f"Due: {scheduled}")
            self.stdout.write(f"{len(due)} step(s) due; dry run, nothing done.")
            return
        results = run_due()
        for scheduled, outcome in results:
            self.stdout.write(f"{scheduled}: {outcome}")
        if results or not quiet:
            self.stdout.write(f"{len(results)} scheduled step(s) taken.")
