"""Who has an entry's admin form open (cooperation.editorial.presence)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class EditingPresence(models.Model):
    """That `user` opened the entry's change form at `since` and was last seen on it at
    `seen_at`; one row per user and entry, forgotten once they save it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_presence_per_user_entry"
            )
        ]

    def __str__(self):
        return f"{self.user} on {self.content_type.model} {self.object_id} since {self.since}"
