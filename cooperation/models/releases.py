"""Releases: numbered, frozen, citable snapshots of everything the public could see when each was
cut (cooperation.releases makes, compares, serves and packages them). Nothing changes a release
once it is cut: the model refuses saves and deletions, and the database refuses UPDATE and DELETE
on both tables (migration 0013's triggers)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

VERSION_PATTERN = r"[0-9]{4}\.[1-9][0-9]{0,3}"


class ReleaseIsFrozen(Exception):
    """Something tried to change a release after it was cut."""


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ReleaseIsFrozen("A release cannot change once it is cut.")

    def delete(self):
        raise ReleaseIsFrozen("A release cannot be deleted.")


class FrozenModel(models.Model):
    """Written once, by bulk creation or a first save; never changed or deleted."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReleaseIsFrozen("A release cannot change once it is cut.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReleaseIsFrozen("A release cannot be deleted.")


class Release(FrozenModel):
    version = models.CharField(
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(
                f"^{VERSION_PATTERN}$",
                "A release is numbered YEAR.N, such as 2027.1: the year, a dot, then 1, 2, 3…",
            )
        ],
    )
    cut_at = models.DateTimeField(default=timezone.now)
    cut_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(help_text="The release notes (Markdown), written by the editors.")
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField(default=dict, help_text="Records per kind, by model label.")
    changes = models.JSONField(
        default=dict,
        help_text="Since the previous release, by model label: added, changed (with the fields "
        "that changed) and withdrawn records, each [id, name(, fields)].",
    )
    digest = models.CharField(max_length=64, help_text="SHA-256 of the release's records.")

    class Meta:
        ordering = ["-cut_at", "-pk"]

    def __str__(self):
        return f"Release {self.version}"

    def get_absolute_url(self):
        return reverse("releases:detail", args=[self.version])


class ReleaseRecord(FrozenModel):
    """One record as the public saw it when the release was cut, as Django's Python serializer
    writes it (its own id; many-to-many links as ids of records in the same release)."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="records")
    model = models.CharField(max_length=100, help_text="The model's label, e.g. cooperation.actor.")
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300, help_text="Its title or name, for lists.")
    fields = models.JSONField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of `fields`.")
    changed_in = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The release in which the record last changed (this one, or an earlier one).",
    )

    class Meta:
        ordering = ["release", "model", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "model", "object_id"], name="one_record_per_release"
            )
        ]
        indexes = [
            models.Index(fields=["release", "model", "slug"], name="release_record_slug_idx"),
            models.Index(fields=["model", "object_id"], name="release_record_object_idx"),
        ]

    def __str__(self):
        return f"{self.name} in {self.release}"
