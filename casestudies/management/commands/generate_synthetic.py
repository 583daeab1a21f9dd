from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from casestudies.models import CaseStudy
from casestudies.synthetic import PREFIX, Shape, generate
from cooperation.caching.versions import bump_content_version
from cooperation.exchange.importing import load_fixtures
from cooperation.models import Era


class Command(BaseCommand):
    help = (
        "Fill a separate database (set DATABASE_URL) with a synthetic data set for measuring "
        "performance: by default 100,000 case studies with 10,000 actors, 500 mechanisms and "
        "500 challenges, about 400,000 participants and 300,000 each of mechanism and challenge "
        "links. Reproducible from --seed; every record is marked synthetic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--case-studies", type=int, default=Shape.case_studies)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, case_studies, seed, **options):
        if case_studies < 1:
            raise CommandError("--case-studies must be at least 1.")
        if CaseStudy.objects.exclude(slug__startswith=PREFIX).exists():
            raise CommandError(
                "This database holds real case studies. Point DATABASE_URL at a separate, "
                "migrated database for the synthetic data set."
            )
        if CaseStudy.objects.exists():
            raise CommandError("This database already holds a synthetic data set.")
        if not Era.objects.exists():
            # Eras and regions are part of the atlas's shape; take them from its own taxonomy.
            load_fixtures([Path(settings.FIXTURE_DIRS[0]) / "02_taxonomy.json"])
        shape = Shape.scaled(case_studies)
        with tqdm(total=shape.actors + shape.mechanisms + shape.challenges + case_studies) as bar:
            counts = generate(shape, seed=seed, progress=lambda step, done: bar.update(done))
        bump_content_version()  # bulk inserts send no signals; cached pages must go
        self.stdout.write(
            self.style.SUCCESS(", ".join(f"{count} {name}" for name, count in counts.items()))
        )
