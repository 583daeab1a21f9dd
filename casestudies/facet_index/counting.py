"""The list's filters and facet counts over a snapshot: each filter in force a mask of rows,
each facet counted over the rows every other filter leaves (as casestudies.facets counts in
SQL), with the same values in the same order.

The rules are casestudies.filters' own, restated over arrays; a test compares the two on many
random filter states on both databases. The search words (`q`) are matched and ranked by the
database, which alone has the full-text index: the matching primary keys become one more mask,
and their ranks the order of a list ordered by relevance."""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from casestudies.facet_index.snapshot import OPEN_END, OUTCOMES, today_ordinal
from casestudies.facets import FACETS, LONG_FACETS, Facet, facet_values
from casestudies.models import CaseStudy
from cooperation.models import Actor

# What the snapshot answers; a filter state with anything else in force (an editor's `status`,
# an API client's `updated_after`) is counted in SQL.
SUPPORTED = {
    "q",
    "region",
    "era",
    "outcome",
    "lifecycle",
    "mechanism",
    "challenge",
    "actor",
    "country",
    "actor_kind",
    "year_from",
    "year_to",
}
IGNORED = {"ordering", "search", "facets"}  # order, `q`'s alias, what to count


@dataclass(frozen=True)
class Matches:
    """The published case studies a search matches, and the relevance of each."""

    pks: np.ndarray
    ranks: np.ndarray


def in_force(cleaned):
    """The filters that narrow the result: {name: value} without the empty ones."""
    found = {}
    for name, value in cleaned.items():
        if name in IGNORED or value is None or value == "":
            continue
        if isinstance(value, Iterable) and not isinstance(value, str) and not list(value):
            continue
        found[name] = value
    return found


def answerable(cleaned):
    return set(in_force(cleaned)) <= SUPPORTED


def _slugs(records):
    return [record.slug for record in records]


def _lifecycle(snapshot, value):
    if set(value) >= set(CaseStudy.Lifecycle.values):
        return None
    active = (snapshot.end == OPEN_END) | (snapshot.end > today_ordinal())
    return active if CaseStudy.Lifecycle.ACTIVE in value else ~active


def _in_eras(snapshot, value):
    chosen = set(_slugs(value))
    mask = np.zeros(snapshot.size, dtype=bool)
    for slug, _, first, last in snapshot.eras:
        if slug in chosen:
            mask |= (snapshot.start >= first) & (snapshot.start <= last)
    return mask


def _countries(snapshot, value):
    slugs = _slugs(value)
    return snapshot.actors.rows_with(slugs, snapshot.size) | snapshot.countries.rows_with(
        slugs, snapshot.size
    )


def masks(snapshot, filters, matches):
    """{name: mask of the rows it keeps} for each filter in force; `matches` are those of the
    search words, if any are in force."""
    size = snapshot.size
    rules = {
        "q": lambda value: np.isin(snapshot.pks, matches.pks),
        "region": lambda value: snapshot.regions.rows_with(_slugs(value), size),
        "mechanism": lambda value: snapshot.mechanisms.rows_with(_slugs(value), size),
        "challenge": lambda value: snapshot.challenges.rows_with(_slugs(value), size),
        "actor": lambda value: snapshot.actors.rows_with(_slugs(value), size),
        "country": lambda value: _countries(snapshot, value),
        "actor_kind": lambda value: snapshot.actor_kinds.rows_with(value, size),
        "outcome": lambda value: np.isin(snapshot.outcome, [OUTCOMES.index(v) for v in value]),
        "era": lambda value: _in_eras(snapshot, value),
        "lifecycle": lambda value: _lifecycle(snapshot, value),
        "year_from": lambda value: (snapshot.end_year == OPEN_END) | (snapshot.end_year >= value),
        "year_to": lambda value: snapshot.start_year <= value,
    }
    found = {name: rules[name](value) for name, value in filters.items()}
    return {name: mask for name, mask in found.items() if mask is not None}


def _all_but(found, excluded, size):
    mask = np.ones(size, dtype=bool)
    for name, other in found.items():
        if name != excluded:
            mask &= other
    return mask


def _linked(links, mask, selected, chosen, limit):
    """The values found in the result, most frequent first (then by name), and every chosen
    one; with `limit`, only the first `limit` of them and the chosen ones are made into values
    (the rest are only counted)."""
    counts = links.counts(mask)
    found = np.flatnonzero(counts)
    order = found[np.lexsort((links.name_rank[found], -counts[found]))]
    kept = order if limit is None else order[:limit]
    numbers = set(kept.tolist())
    numbers |= {links.number_of[value.slug] for value in chosen if value.slug in links.number_of}
    rows = [(links.slugs[n], links.names[n], int(counts[n])) for n in numbers]
    listed = {slug for slug, _, _ in rows}
    rows += [(value.slug, value.name, 0) for value in chosen if value.slug not in listed]
    values = facet_values(sorted(rows, key=lambda row: (-row[2], row[1])), selected)
    missing = sum(1 for value in values if value.count == 0)
    return values, len(found) + missing


def _choices(choices, counts):
    return [(value, label, int(n)) for (value, label), n in zip(choices, counts, strict=True)]


def _regions(snapshot, mask, selected, chosen, limit):
    links = snapshot.regions
    regions = zip(links.slugs, links.names, strict=True)
    return facet_values(_choices(regions, links.counts(mask)), selected), None


def _eras(snapshot, mask, selected, chosen, limit):
    rows = []
    for slug, name, first, last in snapshot.eras:
        in_era = (snapshot.start >= first) & (snapshot.start <= last)
        rows.append((slug, name, int((mask & in_era).sum())))
    return facet_values(rows, selected), None


def _outcomes(snapshot, mask, selected, chosen, limit):
    counts = np.bincount(snapshot.outcome[mask], minlength=len(OUTCOMES))
    return facet_values(_choices(CaseStudy.Outcome.choices, counts), selected), None


def _lifecycles(snapshot, mask, selected, chosen, limit):
    active = _lifecycle(snapshot, [CaseStudy.Lifecycle.ACTIVE])
    counts = [(mask & active).sum(), (mask & ~active).sum()]
    return facet_values(_choices(CaseStudy.Lifecycle.choices, counts), selected), None


def _actor_kinds(snapshot, mask, selected, chosen, limit):
    counts = snapshot.actor_kinds.counts(mask)
    return facet_values(_choices(Actor.Kind.choices, counts), selected), None


COUNTERS = {
    "region": _regions,
    "era": _eras,
    "outcome": _outcomes,
    "lifecycle": _lifecycles,
    "mechanism": lambda snapshot, *args: _linked(snapshot.mechanisms, *args),
    "challenge": lambda snapshot, *args: _linked(snapshot.challenges, *args),
    "actor": lambda snapshot, *args: _linked(snapshot.actors, *args),
    "actor_kind": _actor_kinds,
}


def count(snapshot, cleaned, matches, limit=None):
    """The facets of the filter state `cleaned` (a filter form's cleaned data), and the mask of
    the rows in its result. With `limit`, a long facet holds only its `limit` most frequent
    values and the chosen ones (what the sidebar shows), and says how many it has."""
    filters = in_force(cleaned)
    found = masks(snapshot, filters, matches)
    facets = []
    for name, label, _ in FACETS:
        chosen = list(filters.get(name, []))
        selected = {getattr(value, "slug", value) for value in chosen}
        mask = _all_but(found, name, snapshot.size)
        values, size = COUNTERS[name](snapshot, mask, selected, chosen, limit)
        size = size if limit is not None else None
        facets.append(Facet(name, label, values, long=name in LONG_FACETS, found=size))
    return facets, _all_but(found, None, snapshot.size)


def result_of(snapshot, cleaned, matches):
    """The mask of the rows in the result of the filter state `cleaned`, nothing counted."""
    return _all_but(masks(snapshot, in_force(cleaned), matches), None, snapshot.size)


def in_list_order(snapshot, cleaned, result, matches=None):
    """The primary keys of the result (a mask of rows) in the list's order: the one asked for,
    or by relevance to the search words (`matches`), the primary key breaking ties, as
    cooperation.search.ordered_by_rank orders them. None for an order the snapshot does not
    hold: several at once, or one added to the filters and not here."""
    ordering = list(cleaned.get("ordering") or [])
    if not ordering and cleaned.get("q"):
        return _by_relevance(snapshot, result, matches)
    rows = snapshot.orders.get(ordering[0] if ordering else "") if len(ordering) < 2 else None
    if rows is None:
        return None
    return snapshot.pks[rows[result[rows]]]


def _by_relevance(snapshot, result, matches):
    rank = np.zeros(snapshot.size)
    places = np.searchsorted(snapshot.pks, matches.pks)
    held = places < snapshot.size
    held[held] = snapshot.pks[places[held]] == matches.pks[held]
    rank[places[held]] = matches.ranks[held]
    rows = np.flatnonzero(result)  # in primary-key order, which breaks ties
    return snapshot.pks[rows[np.lexsort((rows, -rank[rows]))]]
