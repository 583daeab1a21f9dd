"""On PostgreSQL, a stored, GIN-indexed full-text search vector for case studies (see
cooperation/migrations/0004_search_vectors.py)."""

from django.db import migrations

from cooperation.search import add_search_vector_columns, drop_search_vector_columns

VECTORS = {
    "casestudies_casestudy": (
        "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '') || ' '"
        " || coalesce(outcome_assessment, '') || ' ' || coalesce(lessons, '')), 'C')"
    ),
}


def add_vector(apps, schema_editor):
    add_search_vector_columns(schema_editor, VECTORS)


def drop_vector(apps, schema_editor):
    drop_search_vector_columns(schema_editor, VECTORS)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0006_link_indexes")]

    operations = [migrations.RunPython(add_vector, drop_vector)]
