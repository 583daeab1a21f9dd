"""What every piece of curated content shares: timestamps, a publication status, and the one
definition of what the public may see."""

from django.db import models
from django.db.models.functions import Coalesce, Now
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Everything for users who may change this kind of entry, published entries otherwise."""
        opts = self.model._meta
        if user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self.all()
        return self.published()

    def publish(self):
        """Publish in one query; an entry published before keeps its first publication time."""
        return self.update(
            status=Status.PUBLISHED, published_at=Coalesce("published_at", Now()), updated_at=Now()
        )

    def unpublish(self):
        return self.update(status=Status.DRAFT, updated_at=Now())


class SlugManager(models.Manager):
    """Looks entries up by slug, so fixtures can refer to them by a stable name."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


PublishableManager = SlugManager.from_queryset(PublishableQuerySet)


class PublishableModel(TimeStampedModel):
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the entry was first published; kept when it is edited afterwards.",
    )

    objects = PublishableManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def natural_key(self):
        return (self.slug,)
