"""On PostgreSQL, the pg_trgm extension, whose word similarity lets search forgive misspelt names
and titles (cooperation.search.close_matches). It is a trusted extension: a database owner may
create it without being a superuser. Other databases have nothing to do here."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0014_claims_evidence_and_dates")]

    operations = [TrigramExtension()]
