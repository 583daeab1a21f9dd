"""The public's best case-study matches for a search, for the site's search page.

On PostgreSQL they are ranked in the narrow search rows (casestudies_searchrow: each case
study's id, whether it is published and its search vector, kept by triggers; see
casestudies/migrations/0012_search_rows.py), as the facet index matches the list's searches
(facet_index/matching.py). Ranked in the case-study table, a common word read every matching
2 kB row: 26 to 75 ms for "maritime" or "border patrol" at 100,000 case studies. Then only the
best are read from the case-study table, by primary key. The query and the rank are
cooperation.search's, so the order is the one `ordered_by_rank(search(...))` gives; elsewhere
(SQLite, or a page pinned to a release) that is what answers."""

from django.db import connections

from casestudies.models import CaseStudy
from cooperation.search import ordered_by_rank, search, search_words

# websearch_to_tsquery and ts_rank as cooperation.search writes them (SearchQuery, SearchRank),
# ordered as ordered_by_rank orders (rank first, then the primary key).
BEST_PUBLISHED = (
    "SELECT case_study_id, ts_rank(search_vector, query) AS rank"
    " FROM casestudies_searchrow, websearch_to_tsquery('english'::regconfig, %s) AS query"
    " WHERE published AND search_vector @@ query"
    " ORDER BY rank DESC, case_study_id LIMIT %s"
)


def best_published_matches(text, limit):
    """Up to `limit` published case studies matching `text`, best first, each with its `rank`."""
    published = CaseStudy.objects.published()
    connection = connections[published.db]
    if connection.vendor != "postgresql":
        return list(ordered_by_rank(search(published, text))[:limit])
    words = " ".join(search_words(text))
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(BEST_PUBLISHED, [words, limit])
        ranked = cursor.fetchall()
    if not ranked:
        return []
    # Read as published again: one withdrawn since the first query is left out, not shown.
    by_pk = published.in_bulk([pk for pk, _ in ranked])
    best = []
    for pk, rank in ranked:
        if pk in by_pk:
            by_pk[pk].rank = rank
            best.append(by_pk[pk])
    return best
