"""Ranked free-text search over a model's weighted text fields.

A model lists its fields by weight in `search_weights`, e.g. {"A": ["title"], "B": ["summary"],
"C": ["body"]}: titles count above summaries, summaries above bodies. On PostgreSQL this is its
full-text search (stemmed English, `websearch_to_tsquery` syntax, ranked with `ts_rank`). SQLite
has none, so there every word must occur somewhere in the fields (case-insensitively) and the rank
is the sum of the weights of the fields that contain a word."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import Case, Expression, F, FloatField, Q, Value, When

from cooperation.limits import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS

WEIGHT_VALUES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


def search_words(text):
    """The words of a query, bounded in number and length so a huge query stays cheap."""
    return re.findall(r"\w+", (text or "")[:SEARCH_MAX_LENGTH])[:SEARCH_MAX_WORDS]


def search(queryset, text):
    """Filter `queryset` to entries matching `text`, annotated with `rank` (higher is better)."""
    words = search_words(text)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField())).none()
    weighted_fields = queryset.model.search_weights
    # The database the query reads from: a request pinned to a release reads SQLite.
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql_search(queryset, " ".join(words), weighted_fields)
    return _fallback_search(queryset, words, weighted_fields)


class StoredSearchVector(Expression):
    """The `search_vector` column that a migration adds on PostgreSQL, which the model does not
    declare. Compiled against the query's own alias for the table, so it works in subqueries."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


def _document(model, weighted_fields):
    """The stored search vector where a migration made one, else one built on the fly."""
    if getattr(model, "stored_search_vector", False):
        return StoredSearchVector()
    vector = None
    for weight, fields in weighted_fields.items():
        for name in fields:
            part = SearchVector(name, weight=weight, config="english")
            vector = part if vector is None else vector + part
    return vector


def _postgresql_search(queryset, text, weighted_fields):
    document = _document(queryset.model, weighted_fields)
    query = SearchQuery(text, config="english", search_type="websearch")
    # Filter with @@ first (the GIN index), then rank only what matched.
    return (
        queryset.alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query))
    )


def _fallback_search(queryset, words, weighted_fields):
    every_word = Q()
    for word in words:
        any_field = Q()
        for fields in weighted_fields.values():
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": word})
        every_word &= any_field
    rank = Value(0.0, output_field=FloatField())
    for weight, fields in weighted_fields.items():
        for name in fields:
            matched = Q()
            for word in words:
                matched |= Q(**{f"{name}__icontains": word})
            rank = rank + Case(
                When(matched, then=Value(WEIGHT_VALUES[weight])),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return queryset.filter(every_word).annotate(rank=rank)


def ordered_by_rank(queryset):
    return queryset.order_by(F("rank").desc(nulls_last=True), "pk")


def add_search_vector_columns(schema_editor, vectors):
    """For migrations: on PostgreSQL, a stored, GIN-indexed `search_vector` column per table in
    `vectors` ({table: tsvector expression}); other databases search without one."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in vectors.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_idx ON {table} USING gin (search_vector)"
        )


def drop_search_vector_columns(schema_editor, vectors):
    if schema_editor.connection.vendor == "postgresql":
        for table in vectors:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
