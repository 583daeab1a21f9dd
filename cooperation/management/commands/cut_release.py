"""Cut a release: freeze everything the public sees now as a numbered release, with its notes,
then build its downloads (the data package and the JSON), so the first reader need not wait.

    .venv/bin/python manage.py cut_release 2027.1 --notes notes.md
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cooperation.releases.frozen import database_of
from cooperation.releases.package import ensure_download, row_total
from cooperation.releases.snapshot import cut_release


class Command(BaseCommand):
    help = "Cut a numbered release of the public atlas and build its downloads."

    def add_arguments(self, parser):
        parser.add_argument("version", help="YEAR.N, after the latest release (e.g. 2027.1).")
        parser.add_argument(
            "--notes", required=True, help="A Markdown file with the release notes."
        )
        parser.add_argument("--user", help="The reviewer cutting it (a username), for the record.")
        parser.add_argument(
            "--site-url",
            default="https://atlas.example.org",
            help="The site's address, for the links in the data package.",
        )

    def handle(self, *args, version, notes, user=None, site_url, **options):
        try:
            text = Path(notes).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read the release notes {notes}: {error}") from error
        if not text.strip():
            raise CommandError(f"The release notes {notes} are empty; say what the release holds.")
        cutter = None
        if user:
            cutter = get_user_model().objects.filter(username=user).first()
            if cutter is None:
                raise CommandError(f"No user “{user}”.")
        with tqdm(unit="record", desc="Freezing") as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            try:
                release = cut_release(version, notes=text, user=cutter, progress=progress)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        for kind, total in (("zip", None), ("json", row_total(release))):
            # The zip's rows include the many-to-many link tables: not known ahead.
            with tqdm(total=total, unit="row", desc=f"Building the {kind}") as bar:
                ensure_download(release, kind, site_url=site_url.rstrip("/"), progress=bar.update)
        database_of(release)
        counts = ", ".join(f"{count} {label}" for label, count in release.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Cut release {release.version}: {counts}."))
