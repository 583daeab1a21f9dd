"""The facet index: what the public sees of the case studies, held in each process as integer
arrays (casestudies.facet_index.snapshot), so that any filter state's facet counts take a few
milliseconds instead of seven SQL counts over the link tables (about a second at 100,000 case
studies), with no dependence on a cache hit.

It is kept in step with the database by the public content version
(cooperation.caching.versions), which every change the public could see replaces in the same
transaction, and by the change log written with it (cooperation.models.ContentChange): each use
reads the version (one primary-key query); under another version, the snapshot re-reads the case
studies the log names (facet_index.refresh), or is built again when the log cannot say. So it
recovers by itself after a restart, an import or a publication; a change that escaped the
version (a manual SQL fix) is picked up within MAX_AGE_SECONDS, by a build in the background.
Every app server builds its own copy from the database: adding servers needs nothing new. Who
may see drafts is counted in SQL (casestudies.facets), as is a filter the index does not hold;
docs/performance.md gives the memory per 100,000 case studies and the measurements behind the
design."""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

from casestudies.facet_index.counting import (
    answerable,
    count,
    in_force,
    in_list_order,
    result_of,
)
from casestudies.facet_index.matching import search_matches
from casestudies.facet_index.paging import PagedByKey
from casestudies.facet_index.refresh import log_position, refreshed
from casestudies.facet_index.snapshot import build
from casestudies.facets import facet_counts
from cooperation.caching.versions import content_version
from cooperation.models import visibility_class

__all__ = [
    "Answer",
    "PagedByKey",
    "answer",
    "counted_facets",
    "current_snapshot",
    "forget",
    "warm",
]

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 600
REBUILD_IN_BACKGROUND = True  # tests rebuild in the request, on the test's own connection

_lock = threading.Lock()
_snapshot = None
_rebuilding = threading.Event()


def current_snapshot():
    """The snapshot of the current public content version. After a change it is brought up to
    date from the change log (facet_index.refresh), or built again when that cannot be done;
    one thread does it, the others wait for it rather than do the same thing again. One grown
    old is built again in the background while it goes on answering: that only catches a change
    that escaped the version (a manual SQL fix), so it need not hold anyone up."""
    global _snapshot
    version = content_version()  # read before the content, so nothing newer is filed under it
    held = _snapshot
    if held is not None and held.version == version:
        if not _too_old(held):
            return held
        if REBUILD_IN_BACKGROUND:
            if not _rebuilding.is_set():
                _rebuilding.set()
                threading.Thread(target=_rebuild_in_background, daemon=True).start()
            return held
    with _lock:
        held = _snapshot
        if held is None or _too_old(held):
            held = _snapshot = _built()
        elif held.version != version:
            held = _snapshot = refreshed(held, content_version) or _built()
    return held


def _built():
    log = log_position()  # read before the version, so a change between is read again
    return build(content_version(), time.monotonic(), log)


def _rebuild_in_background():
    global _snapshot
    try:
        fresh = _built()
        with _lock:
            if _snapshot is None or fresh.log.last >= _snapshot.log.last:
                _snapshot = fresh
    except DatabaseError:
        logger.warning("The facet index could not be rebuilt; the next check tries again.")
    finally:
        connections.close_all()  # this thread's own connection
        _rebuilding.clear()


def _too_old(snapshot):
    return time.monotonic() - snapshot.built_at > MAX_AGE_SECONDS


def warm():
    """Build the snapshot now, as a worker starts (cooperation/project/gunicorn.py). A database
    that cannot answer leaves it to the first request."""
    if not enabled():
        return
    try:
        current_snapshot()
    except DatabaseError:
        logger.warning("The facet index was not built at start; the first request builds it.")


def forget():
    """Drop the held snapshot and search matches (tests whose data changes without a version
    change)."""
    global _snapshot
    _snapshot = None
    _matches.clear()


def enabled():
    return settings.FACET_INDEX


# Search words' matches kept per process, under the public content version they were read in:
# an analyst refining a search facet by facet asks for the same words again and again.
MATCHES_KEPT = 32
_matches = OrderedDict()  # (content version, words) -> Matches, the latest used last
_matches_lock = threading.Lock()  # not the snapshot's: a build must not hold up a look-up


def kept_search_matches(version, words):
    """search_matches(words), read once per content version and process while it is among
    the MATCHES_KEPT used last (a few MB at 100,000 case studies)."""
    key = (version, words)
    with _matches_lock:
        found = _matches.get(key)
        if found is not None:
            _matches.move_to_end(key)
            return found
    found = search_matches(words)
    with _matches_lock:
        _matches[key] = found
        while len(_matches) > MATCHES_KEPT:
            _matches.popitem(last=False)
    return found


@dataclass(frozen=True)
class Answer:
    facets: list | None  # None when not asked for
    ordered_pks: object  # the result's primary keys in the list's order, or None (see below)
    last_update: object  # when the latest of the result's case studies changed (or None)


def answer(filterset, user, limit=None, facets=True):
    """What the index says of a bound, validated case-study FilterSet: its facets, and its
    result in the list's order (None when only the database can order it: see
    counting.in_list_order). None when the index cannot answer: for those who see drafts, for a
    filter it does not hold. With `limit`, a long facet holds only its first values
    (counting.count); without `facets` (an API list that asked for none), none are counted.
    Search words are matched and ranked by the database, in one query."""
    cleaned = filterset.form.cleaned_data
    if not (enabled() and visibility_class(user) == "public" and answerable(cleaned)):
        return None
    snapshot = current_snapshot()
    words = in_force(cleaned).get("q")
    matches = kept_search_matches(snapshot.version, words) if words else None
    if facets:
        counted, result = count(snapshot, cleaned, matches, limit)
    else:
        counted, result = None, result_of(snapshot, cleaned, matches)
    ordered = in_list_order(snapshot, cleaned, result, matches)
    return Answer(counted, ordered, snapshot.last_update(result))


def counted_facets(filterset, user):
    """The facets of a bound, validated case-study FilterSet: from the index for the public,
    in SQL for those who see drafts or for a filter the index does not hold."""
    found = answer(filterset, user)
    return found.facets if found is not None else facet_counts(filterset, user)
