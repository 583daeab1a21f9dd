"""How actors cooperate (mechanisms, with their components) and what gets in the way (challenges,
with the mechanisms that mitigate them)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from cooperation.models.publishing import (
    PublishableModel,
)
from cooperation.models.reference import Source


class Mechanism(PublishableModel):
    class Category(models.TextChoices):
        INTELLIGENCE_SHARING = "intelligence_sharing", "Intelligence sharing"
        JOINT_OPERATIONS = "joint_operations", "Joint operations"
        LEGAL_FRAMEWORKS = "legal_frameworks", "Legal and treaty frameworks"
        TRAINING = "training", "Training and exercises"
        TECHNOLOGY = "technology", "Technology and communications"
        DIPLOMATIC = "diplomatic", "Diplomatic"
        CAPACITY_BUILDING = "capacity_building", "Capacity building"
        COMMUNITY_ENGAGEMENT = "community_engagement", "Community engagement"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=32, choices=Category)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="components",
        help_text="The broader mechanism this is a component of, e.g. intelligence sharing.",
    )
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    sources = models.ManyToManyField(Source, blank=True, related_name="mechanisms")

    _history_m2m_fields = ["sources"]

    search_weights = {"A": ["name"], "B": ["summary"], "C": ["body"]}
    stored_search_vector = True  # on PostgreSQL: migrations/0004_search_vectors.py

    class Meta:
        ordering = ["name"]
        permissions = [("review_mechanism", "Can publish, send back and archive mechanisms")]
        indexes = [models.Index(fields=["status", "category"], name="mechanism_status_cat_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:mechanism-detail", args=[self.slug])

    def clean(self):
        # A cycle cannot be a database constraint: it spans rows.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "A mechanism cannot be a component of itself or of its components."}
                )
            ancestor = ancestor.parent


class Challenge(PublishableModel):
    class Category(models.TextChoices):
        POLITICAL = "political", "Political"
        LEGAL_CULTURAL = "legal_cultural", "Legal and cultural"
        RESOURCES = "resources", "Resources"
        EVOLVING_THREATS = "evolving_threats", "Evolving threats"
        PUBLIC_PERCEPTION = "public_perception", "Public perception"
        TECHNOLOGY = "technology", "Technology"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=32, choices=Category)
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    mitigated_by = models.ManyToManyField(
        Mechanism, blank=True, related_name="mitigates", help_text="Mechanisms that mitigate it."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="challenges")

    _history_m2m_fields = ["sources", "mitigated_by"]

    search_weights = {"A": ["name"], "B": ["summary"], "C": ["body"]}
    stored_search_vector = True  # on PostgreSQL: migrations/0004_search_vectors.py

    class Meta:
        ordering = ["name"]
        permissions = [("review_challenge", "Can publish, send back and archive challenges")]
        indexes = [models.Index(fields=["status", "category"], name="challenge_status_cat_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:challenge-detail", args=[self.slug])
