"""Workflow steps a reviewer has scheduled for later: publish an entry, publish its changes
waiting for review, or archive it at a given moment (cooperation.editorial.scheduling)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ScheduleQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(done_at__isnull=True)

    def due(self, now=None):
        return self.waiting().filter(at__lte=now or timezone.now())

    def of(self, entry):
        content_type = ContentType.objects.get_for_model(entry, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=entry.pk)


class Schedule(models.Model):
    class Step(models.TextChoices):
        PUBLISH = "publish", "Publish"
        PUBLISH_CHANGES = "publish_changes", "Publish the changes"
        ARCHIVE = "archive", "Archive"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    step = models.CharField(max_length=16, choices=Step)
    at = models.DateTimeField(help_text="When the step is to be taken (stored in UTC).")
    revision = models.ForeignKey(
        "cooperation.Revision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="The changes to publish, for “Publish the changes”.",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What happened when it was due.")
    reason = models.TextField(
        blank=True, help_text="Why a published entry is to be withdrawn (archive only; public)."
    )

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["done_at", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "step"],
                condition=Q(done_at__isnull=True),
                name="one_waiting_schedule_per_step",
                violation_error_message="This step is already scheduled for this entry.",
            )
        ]

    def __str__(self):
        return f"{self.get_step_display()} “{self.entry}” at {self.at:%Y-%m-%d %H:%M} UTC"
