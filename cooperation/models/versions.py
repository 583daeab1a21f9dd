"""The history of an entry, one version per save: the whole entry as it stood after the save (its
fields, many-to-many links and claims), who saved it, when, why (the editor's change note) and
what the save did (workflow steps, a revert, changes published). Written by
cooperation.editorial.history; read by the admin's History, Compare and Revert pages."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import dateformat, timezone


class EntryVersionQuerySet(models.QuerySet):
    def of(self, entry):
        content_type = ContentType.objects.get_for_model(entry, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=entry.pk)


class EntryVersion(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField(help_text="1 for the entry's first recorded version.")
    label = models.CharField(
        max_length=300, help_text="The entry's title or name in this version (it may be gone)."
    )
    slug = models.CharField(max_length=200, blank=True, help_text="Its slug in this version.")
    content = models.JSONField(
        encoder=DjangoJSONEncoder,
        null=True,
        help_text="The entry and its claims, as Django's Python serializer writes them; empty "
        "once the entry was deleted.",
    )
    status = models.CharField(max_length=16, help_text="The entry's status after the save.")
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="The editor's change note.")
    public = models.BooleanField(
        default=False,
        help_text="Whether the save changed what the public sees: a publication, an edit of a "
        "published entry, or a withdrawal. Such saves make the public changelog.",
    )
    actions = models.TextField(
        blank=True,
        help_text="What the save did besides editing, one sentence a line: workflow steps, a "
        "revert, changes published.",
    )

    objects = EntryVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="one_number_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-number"], name="version_entry_idx"),
            models.Index(fields=["-saved_at"], name="version_saved_at_idx"),
            models.Index(
                fields=["-saved_at"], condition=models.Q(public=True), name="version_public_idx"
            ),
        ]

    def __str__(self):
        return f"Version {self.number} of “{self.label}”"

    @property
    def when(self):
        """ "3 Dec 2026 10:02", in the site's time zone."""
        return dateformat.format(timezone.localtime(self.saved_at), "j M Y H:i")

    @property
    def description(self):
        """ "the version of 3 Dec 2026 10:02 (saved by rita)"."""
        who = f"saved by {self.saved_by}" if self.saved_by else "saved by the system"
        return f"the version of {self.when} ({who})"

    @property
    def public_kind(self):
        """What the save did to the public record, without naming anyone."""
        if self.status != "published":
            return "Withdrawn"
        if any(line.startswith("Published.") or line == "Created." for line in self.action_lines):
            return "Published"
        return "Updated"

    @property
    def action_lines(self):
        return [line for line in self.actions.splitlines() if line]
