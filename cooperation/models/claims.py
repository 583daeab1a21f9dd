"""Claims: links between records that cite their sources and say how firmly those support them."""

from django.db import models

from cooperation.models.publishing import (
    TimeStampedModel,
)
from cooperation.models.reference import Source


class Confidence(models.TextChoices):
    """How firmly the cited sources support a claim."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class SourcedClaim(TimeStampedModel):
    """A link between two records that is itself a claim: it cites its sources and says how
    firmly they support it, so every statement an analyst reads can be traced."""

    confidence = models.CharField(max_length=8, choices=Confidence, default=Confidence.MEDIUM)
    sources = models.ManyToManyField(Source, blank=True)

    _history_m2m_fields = ["sources"]

    class Meta:
        abstract = True
