"""Ranked free-text search over a model's weighted text fields.

A model lists its fields by weight in `search_weights`, e.g. {"A": ["title"], "B": ["summary"],
"C": ["body"]}: titles count above summaries, summaries above bodies. On PostgreSQL this is its
full-text search (stemmed English, `websearch_to_tsquery` syntax, ranked with `ts_rank`). SQLite
has none, so there every word must occur somewhere in the fields (case-insensitively) and the rank
is the sum of the weights of the fields that contain a word.

`close_matches` forgives misspellings: it finds the entries whose name or title (the fields
weighted "A") holds words close to the query's, "Afganistan" finding Afghanistan. On PostgreSQL
this is pg_trgm's word similarity (the extension: migrations/0015_trigram_extension.py); on SQLite,
difflib's ratio over the names' runs of words, which it reads in one query (the atlas has a few
hundred names and titles)."""

import re
from difflib import SequenceMatcher

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import Case, Expression, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

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


def words_found(querysets, words):
    """The words of `words` that match something in at least one of `querysets`, each word
    searched on its own. A query per queryset, however many words: the words not found yet, in
    one SELECT of an EXISTS each; most words are found by the first. (A query per word and
    queryset took a search of ten misspelt words fifty queries; one query of every word and
    queryset built every EXISTS even for the common words the first queryset has.)"""
    searchable = sorted({word for word in words if search_words(word)})  # "" finds nothing
    missing = searchable
    for queryset in querysets:
        if not missing:
            break
        checks, params = [], []
        for word in missing:
            matching = search(queryset, word).order_by().values("pk")[:1]
            sql, matching_params = matching.query.get_compiler(using=matching.db).as_sql()
            checks.append(f"EXISTS ({sql})")
            params.extend(matching_params)
        with connections[queryset.db].cursor() as cursor:
            # SQL that Django compiled from the queryset; the words are among the parameters.
            cursor.execute(f"SELECT {', '.join(checks)}", params)
            matched = cursor.fetchone()
        missing = [word for word, found in zip(missing, matched, strict=True) if not found]
    return set(searchable) - set(missing)


def ordered_by_rank(queryset):
    return queryset.order_by(F("rank").desc(nulls_last=True), "pk")


# A query shorter than this (letters and digits) is not worth forgiving: too much comes close.
CLOSE_MIN_LENGTH = 4
# How close a name's words must come to the query's, from 0 to 1, on difflib's ratio ("Afganistan"
# to "Afghanistan" is 0.95). On PostgreSQL, pg_trgm's own threshold for word similarity (0.6 by
# default; "Afganistan" to "Afghanistan" is 0.64), which its trigram indexes answer.
RATIO_MIN = 0.8


def close_matches(queryset, text, limit):
    """Up to `limit` entries of `queryset` whose name or title holds words close to `text`'s,
    closest first. Each has `closeness` (of its closest run of words, 0 to 1), `likeness` (of
    its whole name, which breaks ties: "Afghanistan" before "Operation Enduring Freedom in
    Afghanistan") and `close_name`: its name or title that came closest."""
    words = search_words(text)
    query = " ".join(words).casefold()
    if len("".join(words)) < CLOSE_MIN_LENGTH:
        return []
    fields = queryset.model.search_weights["A"]
    if connections[queryset.db].vendor == "postgresql":
        entries = _postgresql_close_matches(queryset, query, fields, limit)
    else:
        entries = _fallback_close_matches(queryset, query, len(words), fields, limit)
    for entry in entries:
        entry.close_name = name_that_came_closest(entry, fields, query)
    return entries


def name_that_came_closest(entry, fields, query):
    """Of an entry's names or titles (`fields`), the one closest to `query` (casefolded)."""
    names = [getattr(entry, name) for name in fields if getattr(entry, name)]
    return max(names, key=lambda name: _ratio(query, name.casefold()))


def _ratio(a, b):
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _greatest(expressions):
    return Greatest(*expressions) if len(expressions) > 1 else expressions[0]


def _postgresql_close_matches(queryset, query, fields, limit):
    """The `%>` operator (word similarity above pg_trgm's threshold) finds the candidates
    through the names' trigram indexes (add_trigram_indexes); a scan computing the similarity
    of every title took seconds at 100,000 case studies. Where there are several names, each
    is matched on its own and the matches united: PostgreSQL planned the names' conditions
    joined by OR as a scan of every row (56 ms at 10,000 actors for two words, against 0.4)."""
    by_name = [Q(**{f"{name}__trigram_word_similar": query}) for name in fields]
    similar = by_name[0]
    if len(by_name) > 1:
        matches = [queryset.model._base_manager.filter(q).values("pk") for q in by_name]
        similar = Q(pk__in=matches[0].union(*matches[1:]))
    closeness = _greatest([TrigramWordSimilarity(query, name) for name in fields])
    likeness = _greatest([TrigramSimilarity(name, query) for name in fields])
    return list(
        queryset.filter(similar)
        .annotate(closeness=closeness, likeness=likeness)
        .order_by("-closeness", "-likeness", "pk")[:limit]
    )


def _fallback_close_matches(queryset, query, size, fields, limit):
    """difflib, as get_close_matches does it, over every run of as many words as the query has
    in every name: one query for the names, one for the closest entries."""
    runs, names = {}, {}  # a run of words: the entries whose names have it; entry: its names
    for pk, *values in queryset.values_list("pk", *fields):
        names[pk] = [value.casefold() for value in values if value]
        for value in names[pk]:
            words = re.findall(r"\w+", value)
            width = min(size, len(words))
            for start in range(len(words) - width + 1):
                runs.setdefault(" ".join(words[start : start + width]), set()).add(pk)
    closeness = {}
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)  # what SequenceMatcher caches is about its second sequence
    for run, pks in runs.items():
        matcher.set_seq1(run)
        if matcher.real_quick_ratio() < RATIO_MIN or matcher.quick_ratio() < RATIO_MIN:
            continue  # the cheap upper bounds first, as get_close_matches does
        ratio = matcher.ratio()
        if ratio >= RATIO_MIN:
            for pk in pks:
                closeness[pk] = max(closeness.get(pk, 0.0), ratio)
    likeness = {pk: max(_ratio(query, name) for name in names[pk]) for pk in closeness}
    closest = sorted(closeness, key=lambda pk: (-closeness[pk], -likeness[pk], pk))[:limit]
    entries = queryset.in_bulk(closest)
    for pk in closest:
        entries[pk].closeness, entries[pk].likeness = closeness[pk], likeness[pk]
    return [entries[pk] for pk in closest]


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


def set_search_vector_statistics(schema_editor, tables, target):
    """For migrations: on PostgreSQL, the statistics target of each table's `search_vector`
    (-1: the server's default), and the table analysed again so that its plans use them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {int(target)}"
        )
        schema_editor.execute(f"ANALYZE {table}")


def add_trigram_indexes(schema_editor, columns):
    """For migrations: on PostgreSQL, a trigram (GIN) index on each (table, column) in
    `columns`, which close_matches' word-similarity operator uses."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in columns:
        schema_editor.execute(
            f"CREATE INDEX {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(schema_editor, columns):
    if schema_editor.connection.vendor == "postgresql":
        for table, column in columns:
            schema_editor.execute(f"DROP INDEX {table}_{column}_trgm")


def drop_search_vector_columns(schema_editor, vectors):
    if schema_editor.connection.vendor == "postgresql":
        for table in vectors:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
