"""Topics: pages of analysis whose text refers to the records it discusses."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cooperation import references
from cooperation.models.publishing import (
    PublishableModel,
    PublishableQuerySet,
    SlugManager,
)
from cooperation.models.reference import Source


class TopicQuerySet(PublishableQuerySet):
    def referring_to(self, record):
        """Topics whose text refers to `record` (any registered kind of record)."""
        content_type = ContentType.objects.get_for_model(record)
        return self.filter(references__content_type=content_type, references__object_id=record.pk)


class Topic(PublishableModel):
    """A page of analysis, such as the history of cooperation or the role of technology, whose
    text refers to the records it discusses (see cooperation.references)."""

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(help_text="One or two plain sentences shown in lists and feeds.")
    body = models.TextField(
        help_text="Markdown. Refer to a published record with [[kind:slug]], or "
        "[[kind:slug|your own words]]: e.g. [[case-study:isaf-afghanistan]], "
        "[[actor:nato|the Alliance]]. Kinds: actor, mechanism, challenge, case-study, topic."
    )
    nav_order = models.PositiveSmallIntegerField(
        "order in the navigation", default=100, help_text="Topics are listed lowest number first."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="topics")

    _history_m2m_fields = ["sources"]

    search_weights = {"A": ["title"], "B": ["summary"], "C": ["body"]}
    stored_search_vector = True  # on PostgreSQL: migrations/0007_topic_search_and_groups.py
    reference_fields = ["body"]  # text with [[kind:slug]] references (cooperation.references)

    objects = SlugManager.from_queryset(TopicQuerySet)()

    class Meta:
        ordering = ["nav_order", "title"]
        permissions = [("review_topic", "Can publish, send back and archive topics")]
        indexes = [models.Index(fields=["status", "nav_order"], name="topic_status_order_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:topic-detail", args=[self.slug])

    def clean(self):
        problems = references.problems(self.body)
        if problems:
            raise ValidationError({"body": problems})

    def publication_checklist(self):
        # A record referred to when the topic was saved may have been unpublished since.
        problems = references.problems(self.body)
        if not problems:
            return [("Every record the text refers to exists and is published.", True)]
        return [(problem, False) for problem in problems]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.record_references()

    def record_references(self):
        """Keep the table of referred records (for backlinks) in step with the text."""
        found = references.resolve(references.parse(self.body), lambda model: model.objects)
        rows = {
            (ContentType.objects.get_for_model(record).pk, record.pk) for record in found.values()
        }
        self.references.all().delete()
        TopicReference.objects.bulk_create(
            TopicReference(topic=self, content_type_id=type_id, object_id=object_id)
            for type_id, object_id in sorted(rows)
        )


class TopicReference(models.Model):
    """That a topic's text refers to a record; derived from the text on every save."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="references")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["topic", "content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "content_type", "object_id"], name="topic_reference_unique"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="topic_reference_target_idx")
        ]

    def __str__(self):
        return f"{self.topic} refers to {self.content_type.model} {self.object_id}"
