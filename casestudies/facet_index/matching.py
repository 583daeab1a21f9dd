"""The published case studies a search matches, with their relevance, for the facet index.

On PostgreSQL they are read from the narrow search rows (casestudies_searchrow: each case
study's id, whether it is published and its search vector, kept by triggers; see
casestudies/migrations/0012_search_rows.py), not from the case-study table, whose wide rows made
a common word read 100 MB. The query and the rank are cooperation.search's, so the order is
the one the SQL list gives. Elsewhere (SQLite) cooperation.search matches them."""

import numpy as np
from django.db import connections

from casestudies.facet_index.counting import Matches
from casestudies.models import CaseStudy
from cooperation.search import search, search_words

# websearch_to_tsquery and ts_rank as cooperation.search writes them (SearchQuery, SearchRank).
PUBLISHED_MATCHES = (
    "SELECT case_study_id, ts_rank(search_vector, websearch_to_tsquery('english'::regconfig, %s))"
    " FROM casestudies_searchrow"
    " WHERE published AND search_vector @@ websearch_to_tsquery('english'::regconfig, %s)"
)


def search_matches(words):
    """The published case studies matching the search words, with their relevance."""
    connection = connections[CaseStudy.objects.db]
    if connection.vendor == "postgresql":
        text = " ".join(search_words(words))
        found = []
        if text:
            with connection.cursor() as cursor:
                cursor.execute(PUBLISHED_MATCHES, [text, text])
                found = cursor.fetchall()
    else:
        matched = search(CaseStudy.objects.published(), words)
        found = list(matched.order_by().values_list("pk", "rank"))
    return Matches(  # unsorted: numpy orders them
        pks=np.fromiter((pk for pk, _ in found), dtype=np.int64, count=len(found)),
        ranks=np.fromiter((rank for _, rank in found), dtype=np.float64, count=len(found)),
    )
