"""The search page's three steps for readers who see only published records, on PostgreSQL:
one statement each for every kind of record searched, then each kind's entries that are shown
read by primary key.

cooperation.search answers the same questions for any queryset, a query per kind and step:
the best matches, which words nothing has, the names close to those. Each of those querysets
cost the worker 0.6 to 1.8 ms of CPU to build and compile; a search with a misspelt word asked
fifteen of them (about 20 ms of a 30 ms page at 100,000 case studies). Here the SQL is written
from the models' metadata (their tables, their "A" fields, the stored `search_vector`), with
the rank, the conditions and the order cooperation.search gives: the same answers
(tests/cooperation/test_public_search.py compares them). A model with `search_rows` (a table,
its key column) is matched in those narrow rows, which hold its search vector and whether it is
published (casestudies/migrations/0012_search_rows.py)."""

from django.db import connections

from cooperation.models import Status, sees_drafts
from cooperation.search import CLOSE_MIN_LENGTH, name_that_came_closest, search_words

QUERY = "websearch_to_tsquery('english'::regconfig, %s)"


def applies(user, models):
    """Whether the statements below answer `user`'s search of `models`: the user sees no drafts
    of them (every entry shown is published), and they are all read from one PostgreSQL
    database (not, say, a release's SQLite file)."""
    if any(sees_drafts(user, model) for model in models):
        return False
    aliases = {model.objects.db for model in models}
    return len(aliases) == 1 and connections[aliases.pop()].vendor == "postgresql"


def _connection(models):
    return connections[models[0].objects.db]


def _source(model, quote, narrow=True):
    """The table a model's published search vectors are read from (its narrow search rows if
    it has them and `narrow`), with its key and its condition for being published, and the
    parameters of that condition."""
    rows = getattr(model, "search_rows", None)
    if rows and narrow:
        table, key = rows
        return quote(table), quote(key), "published", []
    opts = model._meta
    status = quote(opts.get_field("status").column)
    return quote(opts.db_table), quote(opts.pk.column), f"{status} = %s", [Status.PUBLISHED]


def _entries(models, rows, *attributes):
    """The published entries named by `rows` ((kind, pk, value...)), in that order, each with
    `attributes` set to the row's values; one query per kind named."""
    wanted = {}
    for kind, pk, *_ in rows:
        wanted.setdefault(kind, []).append(pk)
    # Read as published again: one withdrawn since the first statement is left out.
    found = {kind: models[kind].objects.published().in_bulk(pks) for kind, pks in wanted.items()}
    entries = []
    for kind, pk, *values in rows:
        entry = found[kind].get(pk)
        if entry is not None:
            for name, value in zip(attributes, values, strict=True):
                setattr(entry, name, value)
            entries.append((models[kind], entry))
    return entries


def best_published(models, text, limit):
    """(model, entry) for up to `limit` published entries of each model matching `text`, each
    kind best first, each entry with its `rank`: ordered_by_rank(search(...)) per model."""
    words = " ".join(search_words(text))
    if not words:
        return []
    connection = _connection(models)
    parts, params = [], []
    for kind, model in enumerate(models):
        table, key, published, published_params = _source(model, connection.ops.quote_name)
        parts.append(
            f"(SELECT {kind}, {key}, ts_rank(search_vector, query) AS rank "  # noqa: S608
            f"FROM {table}, {QUERY} AS query WHERE {published} AND search_vector @@ query "
            f"ORDER BY rank DESC, {key} LIMIT %s)"
        )
        params.extend([words, *published_params, limit])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    # In the kinds' order, each best first (a UNION ALL promises no order of its own).
    rows.sort(key=lambda row: (row[0], -row[2], row[1]))
    return _entries(models, rows, "rank")


def published_words_found(models, words):
    """The words of `words` that some published entry of `models` matches, each searched on
    its own: cooperation.search.words_found for the public. One EXISTS per word and model, in
    one statement; PostgreSQL evaluates them in turn and stops at the first that holds. Each
    model's own table: in the narrow rows PostgreSQL expects a word it has never seen in 475 of
    100,000 case studies, and reads them all to find the first (20 ms, not 1 from the index)."""
    searchable = sorted({word for word in words if search_words(word)})  # "" finds nothing
    if not searchable:
        return set()
    connection = _connection(models)
    sources = [_source(model, connection.ops.quote_name, narrow=False) for model in models]
    checks, params = [], []
    for word in searchable:
        exists = []
        for table, _, published, published_params in sources:
            exists.append(
                f"EXISTS (SELECT 1 FROM {table} WHERE {published} "  # noqa: S608
                f"AND search_vector @@ {QUERY})"
            )
            params.extend([*published_params, " ".join(search_words(word))])
        checks.append(f"({' OR '.join(exists)})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(checks)}", params)
        found = cursor.fetchone()
    return {word for word, matched in zip(searchable, found, strict=True) if matched}


def close_published(models, text, limit):
    """(model, entry) for up to `limit` published entries of each model whose names come close
    to `text`, each kind closest first: cooperation.search.close_matches for the public, each
    entry with its `closeness`, `likeness` and `close_name`."""
    words = search_words(text)
    query = " ".join(words).casefold()
    if len("".join(words)) < CLOSE_MIN_LENGTH:
        return []
    connection = _connection(models)
    quote = connection.ops.quote_name
    parts, params = [], []
    for kind, model in enumerate(models):
        # The names are in the model's own table, with their trigram indexes.
        table, key, published, published_params = _source(model, quote, narrow=False)
        names = [quote(model._meta.get_field(name).column) for name in model.search_weights["A"]]
        # Each name on its own trigram index, the matches united (as cooperation.search does).
        similar = " UNION ".join(
            f"SELECT {key} FROM {table} WHERE {name} %%> %s"  # noqa: S608
            for name in names
        )
        closeness = ", ".join(f"word_similarity(%s, {name})" for name in names)
        likeness = ", ".join(f"similarity({name}, %s)" for name in names)
        parts.append(
            f"(SELECT {kind}, {key}, GREATEST({closeness}) AS closeness, "  # noqa: S608
            f"GREATEST({likeness}) AS likeness FROM {table} "
            f"WHERE {published} AND {key} IN ({similar}) "
            f"ORDER BY closeness DESC, likeness DESC, {key} LIMIT %s)"
        )
        params.extend(
            [*[query] * (2 * len(names)), *published_params, *[query] * len(names), limit]
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (row[0], -row[2], -row[3], row[1]))
    entries = _entries(models, rows, "closeness", "likeness")
    for model, entry in entries:
        entry.close_name = name_that_came_closest(entry, model.search_weights["A"], query)
    return entries
