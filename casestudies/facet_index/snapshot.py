"""What the public sees of the case studies, read once into integer arrays: a snapshot that
answers any filter state's counts, result and order without the database.

Each published case study is a row (0 to n-1, in primary-key order); a many-to-many facet is
its (row, value) pairs, in two parallel arrays. Only what the public may see goes in: published
case studies, and of their links those to published records."""

import datetime
import itertools
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.models import Actor, Challenge, Era, Mechanism, Region

# An end date not given: the case study is still running, whatever year is asked.
OPEN_END = np.iinfo(np.int32).max
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
OUTCOMES = list(CaseStudy.Outcome.values)
ACTOR_KINDS = list(Actor.Kind.values)


@dataclass(frozen=True)
class Links:
    """One many-to-many facet: `rows[i]` is linked to value `values[i]`; the values' slugs and
    names in the order of `slugs`."""

    rows: np.ndarray
    values: np.ndarray
    slugs: list
    names: list
    name_rank: np.ndarray  # each value's place in the order of names (a facet's tie-break)
    number_of: dict  # slug -> value number

    def value_numbers(self, slugs):
        numbers = [self.number_of[slug] for slug in slugs if slug in self.number_of]
        return np.array(numbers, dtype=np.int32)

    def rows_with(self, slugs, size):
        """A mask of the rows linked to any of `slugs`."""
        mask = np.zeros(size, dtype=bool)
        mask[self.rows[np.isin(self.values, self.value_numbers(slugs))]] = True
        return mask

    def counts(self, mask):
        """How many of the rows in `mask` each value is linked to (the pairs are unique)."""
        return np.bincount(self.values[mask[self.rows]], minlength=len(self.slugs))


@dataclass(frozen=True)
class Snapshot:
    version: str
    built_at: float
    pks: np.ndarray
    outcome: np.ndarray
    updated: np.ndarray  # when each changed: microseconds since the epoch
    start: np.ndarray  # date ordinals
    end: np.ndarray
    start_year: np.ndarray
    end_year: np.ndarray
    eras: list  # (slug, name, first day, last day) as ordinals, in the eras' order
    regions: Links
    mechanisms: Links
    challenges: Links
    actors: Links  # participations
    countries: Links  # countries of operation, over the same values as `actors`
    actor_kinds: Links  # unique (row, kind) pairs of the participations
    orders: dict  # each order the list offers ("" the default): the rows in that order

    @property
    def size(self):
        return len(self.pks)

    def last_update(self, mask):
        """When the latest of the rows in `mask` changed, as the database stores it."""
        if not mask.any():
            return None
        latest = int(self.updated[mask].max())
        return EPOCH + datetime.timedelta(microseconds=latest)

    @property
    def nbytes(self):
        arrays = [self.pks, self.outcome, self.updated, self.start, self.end]
        arrays += [self.start_year, self.end_year]
        for links in (self.regions, self.mechanisms, self.challenges, self.actors):
            arrays += [links.rows, links.values]
        arrays += [self.countries.rows, self.countries.values]
        arrays += [self.actor_kinds.rows, self.actor_kinds.values]
        arrays += list(self.orders.values())
        return sum(array.nbytes for array in arrays)


def _ordinal(date, missing):
    return date.toordinal() if date is not None else missing


CHUNK = 20_000  # rows read at a time: the pairs go straight into arrays, never a list


def _pairs(queryset):
    """A queryset's (case study pk, value pk) rows as two integer arrays, read in chunks."""
    flat = np.fromiter(
        itertools.chain.from_iterable(queryset.iterator(chunk_size=CHUNK)), dtype=np.int64
    )
    return flat[0::2], flat[1::2]


def _numbered(keys, values):
    """Each of `keys` as its place in the array `values`, -1 where it is not there."""
    if not len(values):
        return np.full(len(keys), -1, dtype=np.int32)
    order = np.argsort(values)
    places = np.clip(np.searchsorted(values[order], keys), 0, len(values) - 1)
    return np.where(values[order][places] == keys, order[places], -1).astype(np.int32)


def _links(pks, cases, linked, values):
    """Links from parallel arrays of case-study pks and linked keys, over `values` ([(key, slug,
    name)], in facet order). A link is kept only when both ends are public: its case study is in
    `pks` and its key among `values` (the link tables are read whole, without joins)."""
    keys = np.array([key for key, _, _ in values], dtype=np.int64)
    numbers = _numbered(linked, keys)
    kept = (numbers >= 0) & (_numbered(cases, pks) >= 0)
    names = [name for _, _, name in values]
    name_rank = np.empty(len(names), dtype=np.int32)
    name_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return Links(
        rows=np.searchsorted(pks, cases[kept]).astype(np.int32),
        values=numbers[kept],
        slugs=[slug for _, slug, _ in values],
        names=names,
        name_rank=name_rank,
        number_of={slug: number for number, (_, slug, _) in enumerate(values)},
    )


def _orderings(published, pks, start, updated):
    """The orders the list offers (casestudies.filters: title, start, updated, each either way),
    the primary key breaking ties: by title as the database sorts (its collation decides, as
    for the SQL list), by date and by time from the arrays. An order added there and not here
    is paginated by the database (counting.in_list_order)."""
    by_title = list(published.order_by("title", "pk").values_list("pk", "title"))
    title_rows = np.searchsorted(pks, np.array([pk for pk, _ in by_title], dtype=np.int64))
    # Equal titles share a rank, so "-title" keeps the primary key ascending within them.
    rank = np.empty(len(pks), dtype=np.int64)
    rank[title_rows] = np.cumsum(
        [index == 0 or title != by_title[index - 1][1] for index, (_, title) in enumerate(by_title)]
    )
    rows = np.arange(len(pks))  # rows are in primary-key order
    orders = {"": title_rows, "title": title_rows, "-title": np.lexsort((rows, -rank))}
    for name, key in (("start", start), ("updated", updated)):
        orders[name] = np.lexsort((rows, key))
        orders[f"-{name}"] = np.lexsort((rows, -key))
    return {name: order.astype(np.int32) for name, order in orders.items()}


def build(version, built_at):
    """The snapshot of what the public sees now, in twelve queries."""
    published = CaseStudy.objects.published()
    rows = list(
        published.order_by("pk").values_list(
            "pk", "outcome", "start_date", "end_date", "updated_at"
        )
    )
    pks = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    start = np.array([row[2].toordinal() for row in rows], dtype=np.int32)
    updated = np.array([(row[4] - EPOCH) // MICROSECOND for row in rows], dtype=np.int64)
    end = [_ordinal(row[3], OPEN_END) for row in rows]
    actor_rows = list(
        Actor.objects.published().order_by("pk").values_list("pk", "slug", "name", "kind")
    )
    actors = [(pk, slug, name) for pk, slug, name, _ in actor_rows]
    kinds = [(number, kind, label) for number, (kind, label) in enumerate(Actor.Kind.choices)]
    kind_of_actor = np.array([ACTOR_KINDS.index(kind) for *_, kind in actor_rows], np.int64)
    participations = _pairs(Participation.objects.values_list("case_study_id", "actor_id"))
    actor_links = _links(pks, *participations, actors)
    # Each case study once per kind of actor taking part: what the kind facet counts.
    kind_pairs = np.unique(
        actor_links.rows.astype(np.int64) * len(kinds) + kind_of_actor[actor_links.values]
    )
    countries = _pairs(CaseStudy.countries.through.objects.values_list("casestudy_id", "actor_id"))
    regions = _pairs(CaseStudy.regions.through.objects.values_list("casestudy_id", "region_id"))
    return Snapshot(
        version=version,
        built_at=built_at,
        pks=pks,
        outcome=np.array([OUTCOMES.index(row[1]) for row in rows], dtype=np.int8),
        updated=updated,
        start=start,
        end=np.array(end, dtype=np.int32),
        start_year=np.array([row[2].year for row in rows], dtype=np.int32),
        end_year=np.array([row[3].year if row[3] else OPEN_END for row in rows], dtype=np.int32),
        eras=[
            (era.slug, era.name, era.start_date.toordinal(), _ordinal(era.end_date, OPEN_END))
            for era in Era.objects.all()
        ],
        regions=_links(pks, *regions, list(Region.objects.values_list("pk", "slug", "name"))),
        mechanisms=_links(
            pks,
            *_pairs(MechanismUse.objects.values_list("case_study_id", "mechanism_id")),
            list(Mechanism.objects.published().values_list("pk", "slug", "name")),
        ),
        challenges=_links(
            pks,
            *_pairs(ChallengeEncounter.objects.values_list("case_study_id", "challenge_id")),
            list(Challenge.objects.published().values_list("pk", "slug", "name")),
        ),
        actors=actor_links,
        countries=_links(pks, *countries, actors),
        actor_kinds=Links(
            rows=(kind_pairs // len(kinds)).astype(np.int32),
            values=(kind_pairs % len(kinds)).astype(np.int32),
            slugs=[kind for _, kind, _ in kinds],
            names=[label for _, _, label in kinds],
            name_rank=np.argsort(np.argsort([label for _, _, label in kinds])).astype(np.int32),
            number_of={kind: number for number, kind, _ in kinds},
        ),
        orders=_orderings(published, pks, start, updated),
    )


def today_ordinal():
    return timezone.localdate().toordinal()
