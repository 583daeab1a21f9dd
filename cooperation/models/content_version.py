"""The content version that keys every cached public page (cooperation.caching)."""

from django.db import models


class ContentVersion(models.Model):
    """One row whose token changes after every committed change to the atlas's content, so that
    cached public pages are looked up under the token and a change makes them all unreachable.
    Kept in the database, not the cache, so every server process agrees on it."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
