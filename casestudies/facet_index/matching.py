"""The published case studies a search matches, with their relevance, for the facet index.

On PostgreSQL they are read from the narrow search rows (CaseStudy.search_rows: each case
study's id, whether it is published and its search vector, kept by triggers; see
casestudies/migrations/0012_search_rows.py), not from the case-study table, whose wide rows made
a common word read 100 MB. The query and the rank are cooperation.search's, so the order is
the one the SQL list gives. Elsewhere (SQLite) cooperation.search matches them."""

import numpy as np
from django.db import connections

from casestudies.facet_index.counting import Matches
from casestudies.facet_index.packed import unpacked
from casestudies.models import CaseStudy
from cooperation.search import search, search_words

# websearch_to_tsquery and ts_rank as cooperation.search writes them (SearchQuery, SearchRank),
# each match packed by the database as its id (8 bytes) and its rank (a `real`: 4 bytes), all in
# one `bytea` that numpy reads as it is (as facet_index.packed reads the link tables): a common
# word matches 16,000 case studies at 100,000, which took the worker 4.3 ms to take in row by row
# and takes it 0.5 to 0.8 packed.
ROWS, KEY = CaseStudy.search_rows
PUBLISHED_MATCHES = (
    f"SELECT string_agg(int8send({KEY}) || float4send(ts_rank(search_vector,"  # noqa: S608
    " websearch_to_tsquery('english'::regconfig, %s))), ''::bytea)"
    f" FROM {ROWS}"
    " WHERE published AND search_vector @@ websearch_to_tsquery('english'::regconfig, %s)"
)
PACKED_MATCH = np.dtype([("pk", ">i8"), ("rank", ">f4")])


def search_matches(words):
    """The published case studies matching the search words, with their relevance."""
    connection = connections[CaseStudy.objects.db]
    if connection.vendor == "postgresql":
        text = " ".join(search_words(words))
        found = (
            unpacked(connection, PUBLISHED_MATCHES, [text, text], PACKED_MATCH)
            if text
            else np.empty(0, dtype=PACKED_MATCH)
        )
        # Native byte order, in arrays of their own; a float4 is exact as a float64.
        return Matches(pks=found["pk"].astype(np.int64), ranks=found["rank"].astype(np.float64))
    matched = search(CaseStudy.objects.published(), words)
    found = list(matched.order_by().values_list("pk", "rank"))
    return Matches(  # unsorted: numpy orders them
        pks=np.fromiter((pk for pk, _ in found), dtype=np.int64, count=len(found)),
        ranks=np.fromiter((rank for _, rank in found), dtype=np.float64, count=len(found)),
    )
