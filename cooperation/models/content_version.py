"""The content version that keys every cached public page (cooperation.caching)."""

from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes after every committed change to the atlas's content, so that
    cached public pages are looked up under the token and a change makes them all unreachable.
    Kept in the database, not the cache, so every server process agrees on it."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class ContentChange(models.Model):
    """What a change of the public content version changed: one row per entry (by model label
    and primary key), or one row with no entry when the change cannot be told entry by entry (a
    bulk load, a restore, a very large import). Written in the same transaction as the change
    and the version, so a process holding data derived from the public content (the case-study
    facet index) can bring it up to date by re-reading only these entries."""

    entry_type = models.CharField(max_length=100, blank=True)
    entry_id = models.BigIntegerField(null=True)

    def __str__(self):
        return f"{self.entry_type or 'everything'} {self.entry_id or ''}".strip()
