"""What the public sees of the case studies, read once into integer arrays: a snapshot that
answers any filter state's counts, result and order without the database.

Each published case study is a row (0 to n-1, in primary-key order); a many-to-many facet is
its (row, value) pairs, in two parallel arrays. Only what the public may see goes in: published
case studies, and of their links those to published records."""

import datetime
import itertools
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from casestudies.facet_index.packed import packed_pairs
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
    keys: np.ndarray  # each value's primary key (or, for kinds of actor, its number)
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
        mask[self.rows[self.pairs_to(self.value_numbers(slugs))]] = True
        return mask

    def counts(self, mask):
        """How many of the rows in `mask` each value is linked to (the pairs are unique). The
        mask is read at every pair's row with np.take: half the time of indexing it with the
        rows (0.25 ms for 360,000 participations, 0.47)."""
        return np.bincount(self.values[np.take(mask, self.rows)], minlength=len(self.slugs))

    def pairs_to(self, numbers):
        """A mask of the pairs linked to any of the value `numbers`: a table of the values
        wanted, read at every pair's value (np.isin, making its own table in several passes
        over the pairs, took seven times as long: 3.5 ms for 360,000 participations)."""
        wanted = np.zeros(len(self.slugs), dtype=bool)
        wanted[numbers] = True
        return np.take(wanted, self.values)


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
    kind_of_actor: np.ndarray  # each actor value's kind, as its number in `actor_kinds`
    title_key: np.ndarray  # each row's place in the order of titles (snapshot._title_keys)
    orders: dict  # each order the list offers ("" the default): the rows in that order
    log: object  # how far the change log was read (facet_index.refresh.LogPosition)

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
        arrays += [self.title_key, self.kind_of_actor]
        arrays += [order for name, order in self.orders.items() if name]  # "" is "title"
        return sum(array.nbytes for array in arrays)


def _ordinal(date, missing):
    return date.toordinal() if date is not None else missing


CHUNK = 20_000  # rows read at a time: the pairs go straight into arrays, never a list


def _read_pairs(pairs):
    """A whole table's pairs: packed by PostgreSQL (facet_index.packed), read in chunks
    elsewhere."""
    if connections[pairs.db].vendor == "postgresql":
        return packed_pairs(pairs)
    return _pairs(pairs)


def _pairs(queryset, chunked=True):
    """A queryset's rows of two integers as two integer arrays, read in chunks when `chunked`
    (a whole table), at once otherwise (a few case studies' links)."""
    rows = queryset.iterator(chunk_size=CHUNK) if chunked else queryset
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    return flat[0::2], flat[1::2]


def numbered(keys, values):
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
    numbers = numbered(linked, keys)
    kept = (numbers >= 0) & (numbered(cases, pks) >= 0)
    names = [name for _, _, name in values]
    name_rank = np.empty(len(names), dtype=np.int32)
    name_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return Links(
        rows=np.searchsorted(pks, cases[kept]).astype(np.int32),
        values=numbers[kept],
        keys=keys,
        slugs=[slug for _, slug, _ in values],
        names=names,
        name_rank=name_rank,
        number_of={slug: number for number, (_, slug, _) in enumerate(values)},
    )


# Title keys are spaced this far apart, so that a title published later can be given a key
# between its neighbours' without renumbering the others (facet_index.refresh).
TITLE_KEY_GAP = 1 << 24


def _title_keys(published, pks):
    """Each row's title key: its title's place in the order of titles as the database sorts
    them (its collation decides, as for the SQL list; titles are unique), times the gap."""
    places = published.annotate(place=Window(RowNumber(), order_by="title"))
    by_title, place = _read_pairs(places.order_by().values_list("pk", "place"))
    key = np.empty(len(pks), dtype=np.int64)
    key[np.searchsorted(pks, by_title)] = TITLE_KEY_GAP * place
    return key


ORDER_KEYS = {"title": "title_key", "start": "start", "updated": "updated"}


def ordered_by(key, descending=False):
    """The rows in the order of `key`, either way, the primary key (the row) breaking ties."""
    rows = np.arange(len(key))  # rows are in primary-key order
    return np.lexsort((rows, -key if descending else key)).astype(np.int32)


def orderings(columns, ordered=None):
    """The orders the list offers (casestudies.filters: title, start, updated, each either way,
    title the default) from the snapshot's columns ({name: array}), each made by
    `ordered(name, key, descending)` (by default sorted afresh; facet_index.refresh moves the
    old order instead). An order added there and not here is paginated by the database
    (counting.in_list_order)."""
    ordered = ordered or (lambda name, key, descending: ordered_by(key, descending))
    orders = {}
    for name, column in ORDER_KEYS.items():
        key = columns[column].astype(np.int64)
        orders[name] = ordered(name, key, False)
        orders[f"-{name}"] = ordered(f"-{name}", key, True)
    orders[""] = orders["title"]
    return orders


# Each many-to-many facet's link table: its model, case-study column and value column.
LINK_TABLES = {
    "regions": (CaseStudy.regions.through, "casestudy_id", "region_id"),
    "countries": (CaseStudy.countries.through, "casestudy_id", "actor_id"),
    "actors": (Participation, "case_study_id", "actor_id"),
    "mechanisms": (MechanismUse, "case_study_id", "mechanism_id"),
    "challenges": (ChallengeEncounter, "case_study_id", "challenge_id"),
}

ROW_FIELDS = ["pk", "outcome", "start_date", "end_date", "updated_at"]


def link_pairs(name, case_studies=None):
    """The link table's (case-study pk, value pk) pairs, of `case_studies` only if given. A
    whole table on PostgreSQL comes packed in one value (facet_index.packed)."""
    model, case, value = LINK_TABLES[name]
    pairs = model.objects.values_list(case, value)
    if case_studies is None:
        return _read_pairs(pairs.order_by())
    return _pairs(pairs.filter(**{f"{case}__in": case_studies}), chunked=False)


def columns(rows):
    """The per-row arrays of case-study rows (ROW_FIELDS), in the rows' order."""
    return {
        "pks": np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        "outcome": np.array([OUTCOMES.index(row[1]) for row in rows], dtype=np.int8),
        "updated": np.array([(row[4] - EPOCH) // MICROSECOND for row in rows], dtype=np.int64),
        "start": np.array([row[2].toordinal() for row in rows], dtype=np.int32),
        "end": np.array([_ordinal(row[3], OPEN_END) for row in rows], dtype=np.int32),
        "start_year": np.array([row[2].year for row in rows], dtype=np.int32),
        "end_year": np.array([row[3].year if row[3] else OPEN_END for row in rows], np.int32),
    }


def kind_links(actor_links, kind_of_actor, rows=None):
    """The kinds of actor taking part in each case study, once each (what the kind facet
    counts), from the participations (of `rows` only if given)."""
    kinds = len(ACTOR_KINDS)
    chosen = slice(None) if rows is None else np.isin(actor_links.rows, rows)
    pairs = np.unique(
        actor_links.rows[chosen].astype(np.int64) * kinds
        + kind_of_actor[actor_links.values[chosen]]
    )
    return (pairs // kinds).astype(np.int32), (pairs % kinds).astype(np.int32)


def build(version, built_at, log):
    """The snapshot of what the public sees now, in twelve queries; `log` says how far the
    change log had been read before the content was."""
    published = CaseStudy.objects.published()
    found = columns(list(published.order_by("pk").values_list(*ROW_FIELDS)))
    pks = found["pks"]
    actor_rows = list(
        Actor.objects.published().order_by("pk").values_list("pk", "slug", "name", "kind")
    )
    actors = [(pk, slug, name) for pk, slug, name, _ in actor_rows]
    kind_of_actor = np.array([ACTOR_KINDS.index(kind) for *_, kind in actor_rows], np.int64)
    values = {
        "regions": list(Region.objects.values_list("pk", "slug", "name")),
        "countries": actors,
        "actors": actors,
        "mechanisms": list(Mechanism.objects.published().values_list("pk", "slug", "name")),
        "challenges": list(Challenge.objects.published().values_list("pk", "slug", "name")),
    }
    links = {name: _links(pks, *link_pairs(name), values[name]) for name in LINK_TABLES}
    kind_rows, kind_values = kind_links(links["actors"], kind_of_actor)
    kind_names = [label for _, label in Actor.Kind.choices]
    found["title_key"] = _title_keys(published, pks)
    return Snapshot(
        version=version,
        log=log,
        built_at=built_at,
        eras=[
            (era.slug, era.name, era.start_date.toordinal(), _ordinal(era.end_date, OPEN_END))
            for era in Era.objects.all()
        ],
        **links,
        actor_kinds=Links(
            rows=kind_rows,
            values=kind_values,
            keys=np.arange(len(ACTOR_KINDS), dtype=np.int64),
            slugs=ACTOR_KINDS,
            names=kind_names,
            name_rank=np.argsort(np.argsort(kind_names)).astype(np.int32),
            number_of={kind: number for number, kind in enumerate(ACTOR_KINDS)},
        ),
        kind_of_actor=kind_of_actor,
        orders=orderings(found),
        **found,
    )


def today_ordinal():
    return timezone.localdate().toordinal()
