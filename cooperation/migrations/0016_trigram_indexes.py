"""On PostgreSQL, trigram indexes on the names and titles that search forgives misspellings in
(cooperation.search.close_matches); without them its word-similarity operator reads every row."""

from django.db import migrations

from cooperation.search import add_trigram_indexes, drop_trigram_indexes

COLUMNS = [
    ("cooperation_actor", "name"),
    ("cooperation_actor", "short_name"),
    ("cooperation_mechanism", "name"),
    ("cooperation_challenge", "name"),
    ("cooperation_topic", "title"),
]


def add_indexes(apps, schema_editor):
    add_trigram_indexes(schema_editor, COLUMNS)


def drop_indexes(apps, schema_editor):
    drop_trigram_indexes(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0015_trigram_extension")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
