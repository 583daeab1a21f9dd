"""Reference data, which has no drafts: sources, regions and eras."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cooperation.models.dates import end_not_before_start
from cooperation.models.publishing import (
    ReferenceManager,
    ReferenceQuerySet,
    TimeStampedModel,
)


class Source(TimeStampedModel):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official document"
        ACADEMIC = "academic", "Academic publication"
        NEWS = "news", "News report"
        REPORT = "report", "Report (think tank, NGO, parliament)"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    author = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200)
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the page."
    )
    kind = models.CharField(max_length=16, choices=Kind)

    objects = ReferenceManager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["kind"], name="source_kind_idx")]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("cooperation:source-detail", args=[self.slug])


class Region(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True)

    objects = ReferenceManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("region-detail", args=[self.slug])


class EraQuerySet(ReferenceQuerySet):
    """The era rule, with Era.contains() and Era.condition(): an era runs from its start date to
    its end date, both included, or on while it has none."""

    def overlapping(self, start, end):
        """Eras that share a day with the period from `start` to `end` (None: still running).
        Either may be an expression, such as OuterRef("start_date")."""
        eras = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return eras if end is None else eras.filter(start_date__lte=end)

    def containing(self, date):
        """The era `date` falls in (eras do not overlap, so at most one)."""
        return self.overlapping(date, date)


class Era(TimeStampedModel):
    """A period of the history of counterterrorism cooperation. Eras do not overlap, so every
    date belongs to at most one, and a case study's era follows from its start date."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day of the era; empty while it continues."
    )
    summary = models.TextField(blank=True)

    objects = ReferenceManager.from_queryset(EraQuerySet)()

    class Meta:
        ordering = ["start_date"]
        constraints = [end_not_before_start("start_date", "end_date", "era_end_not_before_start")]

    def __str__(self):
        return f"{self.name} ({self.year_range})"

    @property
    def year_range(self):
        return f"{self.start_date.year}\N{EN DASH}{self.end_date.year if self.end_date else ''}"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("era-detail", args=[self.slug])

    def contains(self, date):
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)

    def condition(self, field="start_date"):
        """A query condition: the date in `field` falls in this era."""
        condition = Q(**{f"{field}__gte": self.start_date})
        if self.end_date is not None:
            condition &= Q(**{f"{field}__lte": self.end_date})
        return condition

    def clean(self):
        if self.start_date is None:
            return
        others = Era.objects.exclude(pk=self.pk)
        overlapping = others.overlapping(self.start_date, self.end_date).first()
        if overlapping is not None:
            raise ValidationError(
                {"start_date": f"These dates overlap the era “{overlapping}”; eras cannot overlap."}
            )
