"""A synthetic data set for measuring the atlas at scale: never for real content.

Every synthetic record is marked: slugs start with `synthetic-`, titles say "Synthetic", and
every entry cites the one synthetic source. The shape is realistic where it matters for
performance: a few actors, mechanisms and challenges appear in very many case studies (a Zipf
distribution), dates spread over the eras, most entries published, a few drafts. The same seed
gives the same data. Rows go in with bulk inserts, a batch at a time, so 100,000 case studies take
minutes on two cores; bulk inserts bypass the history, which is what a measurement data set
wants."""

import datetime
import itertools
import random
from dataclasses import dataclass

from django.db import transaction

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.models import Actor, Challenge, Mechanism, Region, Source, Status

PREFIX = "synthetic-"
TOPIC_WORDS = [
    "intelligence", "maritime", "border", "financing", "training", "cyber",
    "coalition", "patrol", "extradition", "surveillance", "hostage", "aviation",
]  # fmt: skip
BATCH = 5000
FIRST_DAY = datetime.date(1946, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)


@dataclass(frozen=True)
class Shape:
    case_studies: int = 100_000
    actors: int = 10_000
    mechanisms: int = 500
    challenges: int = 500
    participants_per_case: float = 4.0
    mechanisms_per_case: float = 3.0
    challenges_per_case: float = 3.0
    draft_share: float = 0.05

    @classmethod
    def scaled(cls, case_studies):
        """The default proportions for a given number of case studies."""
        ratio = case_studies / cls.case_studies
        return cls(
            case_studies=case_studies,
            actors=max(50, round(cls.actors * ratio)),
            mechanisms=max(20, round(cls.mechanisms * ratio)),
            challenges=max(20, round(cls.challenges * ratio)),
        )


class Zipf:
    """Draws indexes 0..n-1 where index k is drawn about 1/(k+1) as often as index 0."""

    def __init__(self, n, rng, exponent=1.0):
        weights = [1 / (k + 1) ** exponent for k in range(n)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng
        self.n = n

    def sample_distinct(self, count):
        count = min(count, self.n)
        chosen = set()
        while len(chosen) < count:
            chosen.update(self.rng.choices(range(self.n), cum_weights=self.cumulative, k=count))
        return list(chosen)[:count]


def _count_around(mean, rng):
    return max(1, round(rng.gauss(mean, mean / 3)))


def _batched(iterable, size=BATCH):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _status(rng, shape):
    return Status.DRAFT if rng.random() < shape.draft_share else Status.PUBLISHED


def _publication(rng, shape, when):
    status = _status(rng, shape)
    return {"status": status, "published_at": when if status == Status.PUBLISHED else None}


def generate(shape, *, seed=1, progress=lambda step, done: None):
    """Insert a synthetic data set of `shape`, reproducibly from `seed`. Returns row counts."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with transaction.atomic():
        source = Source.objects.create(
            slug=f"{PREFIX}dataset",
            title="Synthetic data set for performance measurement",
            publisher="Counterterrorism Cooperation Atlas (generated)",
            kind=Source.Kind.REPORT,
        )
        regions = list(Region.objects.all()) or [
            Region.objects.create(name=f"Synthetic region {n}", slug=f"{PREFIX}region-{n}")
            for n in range(8)
        ]
        kinds = Actor.Kind.values
        actors = Actor.objects.bulk_create(
            [
                Actor(
                    name=f"Synthetic actor {n}",
                    slug=f"{PREFIX}actor-{n}",
                    kind=rng.choice([k for k in kinds if k != Actor.Kind.STATE]),
                    region=rng.choice(regions),
                    summary=f"Synthetic actor number {n}, generated for measurement.",
                    **_publication(rng, shape, now),
                )
                for n in range(shape.actors)
            ],
            batch_size=BATCH,
        )
        progress("actors", len(actors))
        mechanisms = Mechanism.objects.bulk_create(
            [
                Mechanism(
                    name=f"Synthetic mechanism {n}",
                    slug=f"{PREFIX}mechanism-{n}",
                    category=rng.choice(Mechanism.Category.values),
                    summary=f"Synthetic mechanism number {n}.",
                    status=Status.PUBLISHED,
                    published_at=now,
                )
                for n in range(shape.mechanisms)
            ],
            batch_size=BATCH,
        )
        challenges = Challenge.objects.bulk_create(
            [
                Challenge(
                    name=f"Synthetic challenge {n}",
                    slug=f"{PREFIX}challenge-{n}",
                    category=rng.choice(Challenge.Category.values),
                    summary=f"Synthetic challenge number {n}.",
                    status=Status.PUBLISHED,
                    published_at=now,
                )
                for n in range(shape.challenges)
            ],
            batch_size=BATCH,
        )
        progress("mechanisms and challenges", len(mechanisms) + len(challenges))

        span = (LAST_DAY - FIRST_DAY).days
        counts = dict.fromkeys(
            ["case_studies", "participations", "mechanism_uses", "challenge_encounters", "regions"],
            0,
        )
        actor_draw = Zipf(len(actors), rng)
        mechanism_draw = Zipf(len(mechanisms), rng)
        challenge_draw = Zipf(len(challenges), rng)
        roles = Participation.Role.values
        for numbers in _batched(range(shape.case_studies)):
            batch = []
            for n in numbers:
                start = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
                ongoing = rng.random() < 0.15
                end = None if ongoing else start + datetime.timedelta(days=rng.randrange(30, 7000))
                if end is not None and end > LAST_DAY:
                    end = LAST_DAY
                topic = " and ".join(rng.sample(TOPIC_WORDS, 2))
                batch.append(
                    CaseStudy(
                        title=f"Synthetic case study {n}: {topic} cooperation",
                        slug=f"{PREFIX}case-study-{n}",
                        summary=f"A synthetic case of {topic} cooperation, for measurement.",
                        body=f"Generated text about {topic} cooperation. " * 20,
                        start_date=start,
                        end_date=end,
                        end_precision="day" if end else "",
                        outcome=CaseStudy.Outcome.TOO_EARLY
                        if ongoing
                        else rng.choice(["success", "mixed", "failure"]),
                        **_publication(rng, shape, now),
                    )
                )
            created = CaseStudy.objects.bulk_create(batch)
            region_links, participations, uses, encounters, source_links = [], [], [], [], []
            for case in created:
                for region in rng.sample(regions, k=min(len(regions), rng.choice([1, 1, 1, 2]))):
                    region_links.append(
                        CaseStudy.regions.through(casestudy_id=case.pk, region_id=region.pk)
                    )
                source_links.append(
                    CaseStudy.sources.through(casestudy_id=case.pk, source_id=source.pk)
                )
                for index in actor_draw.sample_distinct(
                    _count_around(shape.participants_per_case, rng)
                ):
                    participations.append(
                        Participation(case_study=case, actor=actors[index], role=rng.choice(roles))
                    )
                for index in mechanism_draw.sample_distinct(
                    _count_around(shape.mechanisms_per_case, rng)
                ):
                    uses.append(MechanismUse(case_study=case, mechanism=mechanisms[index]))
                for index in challenge_draw.sample_distinct(
                    _count_around(shape.challenges_per_case, rng)
                ):
                    encounters.append(
                        ChallengeEncounter(case_study=case, challenge=challenges[index])
                    )
            CaseStudy.regions.through.objects.bulk_create(region_links, batch_size=BATCH)
            CaseStudy.sources.through.objects.bulk_create(source_links, batch_size=BATCH)
            Participation.objects.bulk_create(participations, batch_size=BATCH)
            MechanismUse.objects.bulk_create(uses, batch_size=BATCH)
            ChallengeEncounter.objects.bulk_create(encounters, batch_size=BATCH)
            counts["case_studies"] += len(created)
            counts["regions"] += len(region_links)
            counts["participations"] += len(participations)
            counts["mechanism_uses"] += len(uses)
            counts["challenge_encounters"] += len(encounters)
            progress("case studies", len(created))
    return {
        "actors": len(actors),
        "mechanisms": len(mechanisms),
        "challenges": len(challenges),
        **counts,
    }
