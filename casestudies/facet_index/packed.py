"""Pairs of integers read from PostgreSQL as one value: the database packs each row's two
columns as big-endian 8-byte integers into a single `bytea`, which numpy reads as it is. A link
table of 400,000 rows comes in about 0.1 s; read row by row through a cursor it took a second (a
Python tuple and two integers per row, parsed from text), and PostgreSQL's binary COPY sends a
message per row, as slow to take in from Python. A search's matches come the same way, each an
id and a rank (facet_index.matching), through `unpacked`.

A value holds at most 1 GB (PostgreSQL's limit for a `bytea`): 67 million pairs, about 170 times the
largest link table at 100,000 case studies, far past the point where docs/performance.md says
to move the facets to a search engine."""

import numpy as np
from django.db import connections

BIG_ENDIAN_INT64 = np.dtype(">i8")


def unpacked(connection, sql, params, dtype):
    """The one `bytea` that `sql` answers (NULL when it aggregated no rows) as an array of
    `dtype`, the big-endian layout the database packed each row in."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (packed,) = cursor.fetchone()
    return np.frombuffer(packed if packed is not None else b"", dtype=dtype)


def packed_pairs(pairs):
    """The rows of `pairs`, a queryset's values_list() of two NOT NULL integers, as two int64
    arrays (in no particular order, but each row's two values at the same place)."""
    sql, params = pairs.query.sql_with_params()
    query = (  # the queryset's own SQL, as Django compiled it
        "SELECT string_agg(int8send(pair.first::bigint) || int8send(pair.second::bigint), "  # noqa: S608
        f"''::bytea) FROM ({sql}) AS pair (first, second)"
    )
    flat = unpacked(connections[pairs.db], query, params, BIG_ENDIAN_INT64)
    flat = flat.astype(np.int64)  # native byte order, and a copy that owns its memory
    return flat[0::2], flat[1::2]
