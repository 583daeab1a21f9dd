"""Topics join search: on PostgreSQL a stored, GIN-indexed search vector weighted like the model's
`search_weights`. (This migration also gave the editorial groups their rights on topics; the
groups now get the rights of every kind of record after each `migrate`, from
cooperation.editorial.groups, so it no longer does, nor depends on the migration of casestudies
that made the groups.)"""

from django.db import migrations

from cooperation.search import add_search_vector_columns, drop_search_vector_columns

VECTORS = {
    "cooperation_topic": (
        "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(body, '')), 'C')"
    ),
}


def add_vectors(apps, schema_editor):
    add_search_vector_columns(schema_editor, VECTORS)


def drop_vectors(apps, schema_editor):
    drop_search_vector_columns(schema_editor, VECTORS)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0006_topic"),
    ]

    operations = [
        migrations.RunPython(add_vectors, drop_vectors),
    ]
