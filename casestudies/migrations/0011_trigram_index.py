"""On PostgreSQL, a trigram index on case-study titles (see
cooperation/migrations/0016_trigram_indexes.py)."""

from django.db import migrations

from cooperation.search import add_trigram_indexes, drop_trigram_indexes

COLUMNS = [("casestudies_casestudy", "title")]


def add_index(apps, schema_editor):
    add_trigram_indexes(schema_editor, COLUMNS)


def drop_index(apps, schema_editor):
    drop_trigram_indexes(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0010_claims_evidence_and_dates"),
        ("cooperation", "0015_trigram_extension"),
    ]

    operations = [migrations.RunPython(add_index, drop_index)]
