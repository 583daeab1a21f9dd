"""Bringing a snapshot up to date after a change, from the change log
(cooperation.models.ContentChange), instead of building it again: a publication of one case
study re-reads that case study's row and links (about ten small queries) and moves the arrays
in memory, where a build reads everything (about two seconds at 100,000 case studies).

Patching is "replace these case studies with what the database holds for them now", so reading
a change twice does no harm; what cannot be patched is rebuilt (refreshed() says which)."""

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from django.db.models import Count, Q

from casestudies.facet_index.snapshot import (
    LINK_TABLES,
    ROW_FIELDS,
    TITLE_KEY_GAP,
    columns,
    kind_links,
    link_pairs,
    numbered,
    orderings,
)
from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, ContentChange, Era, Mechanism, Region

CASE_STUDY = CaseStudy._meta.label_lower

# A change to one of these renames, adds or hides a facet's values: the snapshot is rebuilt.
# Changes to anything else the log names (sources, topics) leave the facets as they are.
REBUILT_BY = {model._meta.label_lower for model in (Actor, Challenge, Era, Mechanism, Region)}

# More changed case studies than this (a large import) are read faster by a build.
MOST_PATCHED = 50

# Ids this close below the last one read may still appear: a transaction takes its id when it
# writes and may commit after a later one. They are looked for again until they fall this far
# behind.
PENDING_WINDOW = 100


@dataclass(frozen=True)
class LogPosition:
    last: int  # the highest id read
    pending: frozenset  # ids below it not seen yet


def log_position():
    """Where the change log stands: read before the content a snapshot is built from."""
    ids = set(ContentChange.objects.order_by("-pk").values_list("pk", flat=True)[:PENDING_WINDOW])
    last = max(ids, default=0)
    return LogPosition(last, frozenset(range(max(last - PENDING_WINDOW, 0) + 1, last)) - ids)


def changes_since(position):
    """The (entry label, pk) of the changes logged since `position`, and the new position."""
    floor = min(position.pending, default=position.last + 1)
    rows = ContentChange.objects.filter(pk__gte=floor).values_list("pk", "entry_type", "entry_id")
    new = [row for row in rows if row[0] > position.last or row[0] in position.pending]
    last = max((row[0] for row in new), default=position.last)
    seen = {row[0] for row in new}
    pending = (position.pending | set(range(position.last + 1, last))) - seen
    pending = frozenset(pk for pk in pending if pk > last - PENDING_WINDOW)
    return [(label, pk) for _, label, pk in new], LogPosition(last, pending)


def refreshed(snapshot, content_version):
    """The snapshot brought up to date from the change log, under the public content version
    `content_version()` read after the log; None when only a build will do: a change not told
    entry by entry or to a facet's values, too many case studies, or nothing logged at all
    (so the version moved by a change the log does not hold)."""
    changes, position = changes_since(snapshot.log)
    version = content_version()
    case_studies = set()
    for label, pk in changes:
        if not label or label in REBUILT_BY:
            return None
        if label == CASE_STUDY:
            case_studies.add(pk)
    if not changes or len(case_studies) > MOST_PATCHED:
        return None
    if not case_studies:
        return replace(snapshot, version=version, log=position)
    return _patched(snapshot, np.array(sorted(case_studies), dtype=np.int64), version, position)


def _patched(snapshot, changed, version, position):
    """The snapshot with the case studies `changed` (primary keys) as they stand now."""
    published = CaseStudy.objects.published()
    rows = list(published.filter(pk__in=changed).order_by("pk").values_list(*ROW_FIELDS, "title"))
    keep = ~np.isin(snapshot.pks, changed)
    title_keys = _title_keys(snapshot, keep, [(row[0], row[-1]) for row in rows])
    if title_keys is None:
        return None
    added = columns(rows)
    added["title_key"] = title_keys
    kept_pks = snapshot.pks[keep]  # in order, as are the pks added, none of them kept
    pks = np.insert(kept_pks, np.searchsorted(kept_pks, added["pks"]), added["pks"])
    moved = np.full(snapshot.size, -1, dtype=np.int64)  # each old row's new row, -1 if gone
    moved[keep] = np.searchsorted(pks, snapshot.pks[keep])
    added_rows = np.searchsorted(pks, added["pks"])
    merged = {"pks": pks}
    for name in added.keys() - {"pks"}:
        column = np.empty(len(pks), dtype=getattr(snapshot, name).dtype)
        column[moved[keep]] = getattr(snapshot, name)[keep]
        column[added_rows] = added[name]
        merged[name] = column
    links = {
        name: _patched_links(getattr(snapshot, name), moved, pks, added["pks"], changed, name)
        for name in LINK_TABLES
    }
    kinds = snapshot.actor_kinds
    kind_rows, kind_values = kind_links(links["actors"], snapshot.kind_of_actor, added_rows)
    kept_kinds = moved[kinds.rows] >= 0
    orders = orderings(
        merged,
        lambda name, key, descending: _reordered(
            snapshot.orders[name], moved, key, added_rows, descending
        ),
    )
    return replace(
        snapshot,
        version=version,
        log=position,
        **merged,
        **links,
        actor_kinds=replace(
            kinds,
            rows=np.concatenate([moved[kinds.rows[kept_kinds]], kind_rows]).astype(np.int32),
            values=np.concatenate([kinds.values[kept_kinds], kind_values]).astype(np.int32),
        ),
        orders=orders,
    )


def _patched_links(links, moved, pks, added, changed, name):
    """The links of the rows kept, moved to their new rows, and those of the rows added."""
    kept = moved[links.rows] >= 0
    cases, linked = link_pairs(name, changed.tolist())
    numbers = numbered(linked, links.keys)
    new = (numbers >= 0) & np.isin(cases, added)
    rows = np.concatenate([moved[links.rows[kept]], np.searchsorted(pks, cases[new])])
    values = np.concatenate([links.values[kept], numbers[new]])
    return replace(links, rows=rows.astype(np.int32), values=values.astype(np.int32))


def _reordered(order, moved, key, added_rows, descending):
    """An order of the rows by `key` (either way, then by row) with the rows gone taken out
    and `added_rows` put in their places."""
    kept = moved[order]
    kept = kept[kept >= 0]
    key = -key if descending else key
    added_rows = added_rows[np.lexsort((added_rows, key[added_rows]))]
    sorted_keys = key[kept]
    places = []
    for row in added_rows:
        first = np.searchsorted(sorted_keys, key[row], "left")
        after = np.searchsorted(sorted_keys, key[row], "right")
        places.append(first + np.searchsorted(kept[first:after], row))
    return np.insert(kept, places, added_rows).astype(np.int32)


def _title_keys(snapshot, keep, titled):
    """The title keys of the case studies `titled` ((pk, title), published now): keys between
    those of the unchanged titles either side, spread in the order of the new titles, where the
    database (its collation orders titles) finds them. None when there is no room left."""
    published = CaseStudy.objects.published()
    if len(titled) == 1:  # the usual publication: one count over the titles index
        before = [published.filter(title__lt=titled[0][1]).count()]
    elif titled:
        places = {
            f"t{n}": Count("title", filter=Q(title__lt=title))
            for n, (_, title) in enumerate(titled)
        }
        places = published.aggregate(**places)
        before = [places[f"t{n}"] for n in range(len(titled))]
    else:
        before = []
    in_title_order = snapshot.orders["title"]
    kept_keys = snapshot.title_key[in_title_order[keep[in_title_order]]]
    gaps = defaultdict(list)  # unchanged titles before -> [(all titles before, which)]
    for rank, number in enumerate(np.argsort(before, kind="stable")):
        # Titles are unique: of the titles before this one, `rank` are new ones.
        gaps[before[number] - rank].append((before[number], number))
    keys = np.empty(len(titled), dtype=np.int64)
    for kept_before, new in gaps.items():
        low = int(kept_keys[kept_before - 1]) if kept_before else 0
        high = int(kept_keys[kept_before]) if kept_before < len(kept_keys) else low + TITLE_KEY_GAP
        step = (high - low) // (len(new) + 1)
        if not step:
            return None
        for place, (_, number) in enumerate(sorted(new), start=1):
            keys[number] = low + place * step
    return keys
