"""Pending changes to published entries: what an editor saved, kept apart from the live entry
until a reviewer publishes it (cooperation.editorial.revisions holds the rules)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RevisionQuerySet(models.QuerySet):
    def open(self):
        """Revisions still to be decided: waiting for review, or sent back to their author."""
        return self.filter(state__in=Revision.OPEN_STATES)

    def of(self, entry):
        content_type = ContentType.objects.get_for_model(entry, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=entry.pk)


class Revision(models.Model):
    """The whole of an entry as an editor wants it: its fields, its many-to-many links and its
    claims (a case study's participants, mechanisms used and challenges met; an actor's
    memberships), serialised, and the live versions it was made from, so that publishing it
    can tell whether the live entry changed in the meantime."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        SENT_BACK = "sent_back", "Sent back"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    OPEN_STATES = (State.PENDING, State.SENT_BACK)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    state = models.CharField(max_length=16, choices=State, default=State.PENDING)
    content = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="The entry and its claims, as Django's Python serializer writes them.",
    )
    base_version = models.PositiveIntegerField(
        help_text="The live entry's version when the revision was last saved."
    )
    base_claims = models.JSONField(
        default=list, help_text="The live claims' [model, id, version] when last saved."
    )
    edits = models.PositiveIntegerField(
        default=1, help_text="How many times the revision was saved; guards lost updates."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="The reviewer's comment on sending back.")
    note = models.TextField(
        blank=True, help_text="The editor's change note: what the changes are, and why."
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=["pending", "sent_back"]),
                name="one_open_revision_per_entry",
                violation_error_message="This entry already has changes waiting for review.",
            )
        ]

    def __str__(self):
        return f"Changes to “{self.entry}” ({self.get_state_display().lower()})"

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES
