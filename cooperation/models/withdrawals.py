"""Withdrawals: the trace an entry leaves when it stops being public (archived or deleted), so that
its URL answers 410 Gone with what it was, when and why it went, a mirror can delete its copy
(the API's withdrawals/), and its slug is never given to another entry."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class WithdrawalQuerySet(models.QuerySet):
    def active(self):
        """Entries withdrawn and not published again since."""
        return self.filter(restored_at__isnull=True)

    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class Withdrawal(models.Model):
    class How(models.TextChoices):
        ARCHIVED = "archived", "Archived"
        DELETED = "deleted", "Deleted"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=200)
    name = models.CharField(max_length=300, help_text="Its title or name when withdrawn.")
    how = models.CharField(max_length=8, choices=How, default=How.ARCHIVED)
    reason = models.TextField(
        help_text="Why it was withdrawn: the reviewer's note, shown publicly."
    )
    withdrawn_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was published again, if it was."
    )
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = WithdrawalQuerySet.as_manager()

    class Meta:
        ordering = ["-withdrawn_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_withdrawal_per_entry"
            ),
            models.UniqueConstraint(fields=["content_type", "slug"], name="withdrawn_slug_kept"),
        ]

    def __str__(self):
        return f"“{self.name}”, withdrawn {self.withdrawn_at:%Y-%m-%d}"

    @property
    def is_active(self):
        return self.restored_at is None
