"""On PostgreSQL, a stored, GIN-indexed full-text search vector per content table, weighted as the
models' `search_weights` say (A: names and titles, B: summaries, C: bodies). Other databases
search without one (see cooperation.search)."""

from django.db import migrations

from cooperation.search import add_search_vector_columns, drop_search_vector_columns

VECTORS = {
    "cooperation_actor": (
        "setweight(to_tsvector('english', coalesce(name, '') || ' ' || coalesce(short_name, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    ),
    "cooperation_mechanism": (
        "setweight(to_tsvector('english', coalesce(name, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    ),
    "cooperation_challenge": (
        "setweight(to_tsvector('english', coalesce(name, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    ),
}


def add_vectors(apps, schema_editor):
    add_search_vector_columns(schema_editor, VECTORS)


def drop_vectors(apps, schema_editor):
    drop_search_vector_columns(schema_editor, VECTORS)


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0003_workflow_and_history")]

    operations = [migrations.RunPython(add_vectors, drop_vectors)]
