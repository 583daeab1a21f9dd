"""Who cooperates: actors (states, alliances, organisations, task forces, ...) and their memberships
of one another."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cooperation.models.dates import end_not_before_start
from cooperation.models.publishing import (
    PublishableModel,
    Status,
    TimeStampedModel,
)
from cooperation.models.reference import Region, Source

wikidata_qid_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "Enter a Wikidata item id: Q followed by digits, e.g. Q7184."
)


country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Enter an ISO 3166-1 alpha-2 code in capitals, e.g. CA."
)


class Actor(PublishableModel):
    class Kind(models.TextChoices):
        STATE = "state", "State"
        MILITARY_ALLIANCE = "military_alliance", "Military alliance"
        INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
        COALITION = "coalition", "Coalition of states"
        MILITARY_COMMAND = "military_command", "Standing military command"
        INTELLIGENCE_PARTNERSHIP = "intelligence_partnership", "Intelligence partnership"
        TASK_FORCE = "task_force", "Task force or unit"
        NGO = "ngo", "Non-governmental organisation"
        PRIVATE_SECTOR = "private_sector", "Private sector"
        NON_STATE_ARMED_GROUP = "non_state_armed_group", "Non-state armed group"

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Acronym or short form, e.g. NATO."
    )
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=Kind)
    country_code = models.CharField(
        "ISO 3166 country code",
        max_length=2,
        blank=True,
        validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2 code; states only.",
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="actors"
    )
    founded = models.DateField(null=True, blank=True)
    dissolved = models.DateField(null=True, blank=True)
    headquarters = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=300, blank=True)
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    wikidata_qid = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        validators=[wikidata_qid_validator],
        help_text="The actor's Wikidata item, e.g. Q7184 for NATO.",
    )
    cow_code = models.PositiveSmallIntegerField(
        "Correlates of War state code",
        null=True,
        blank=True,
        help_text="The COW state system code (e.g. 2 for the United States); states only.",
    )
    atop_id = models.PositiveIntegerField(
        "ATOP alliance id",
        null=True,
        blank=True,
        help_text="The Alliance Treaty Obligations and Provisions project's id, where one exists.",
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="actors")

    _history_m2m_fields = ["sources"]
    # The claims edited with the actor (its admin's inlines), revised and published with it.
    revised_relations = ["memberships", "members"]

    search_weights = {"A": ["name", "short_name"], "B": ["summary"], "C": ["body"]}
    stored_search_vector = True  # on PostgreSQL: migrations/0004_search_vectors.py

    class Meta:
        ordering = ["name"]
        permissions = [("review_actor", "Can publish, send back and archive actors")]
        constraints = [
            end_not_before_start("founded", "dissolved", "actor_dissolved_not_before_founded"),
            models.CheckConstraint(
                condition=Q(kind="state") | (Q(country_code="") & Q(cow_code__isnull=True)),
                name="actor_state_codes_only_for_states",
                violation_error_message="Only states have a country code or a COW state code.",
            ),
            models.UniqueConstraint(
                fields=["wikidata_qid"],
                condition=~Q(wikidata_qid=""),
                name="actor_unique_wikidata_qid",
                violation_error_message="Another actor already has this Wikidata QID.",
            ),
            models.UniqueConstraint(
                fields=["country_code"],
                condition=~Q(country_code=""),
                name="actor_unique_country_code",
                violation_error_message="Another actor already has this country code.",
            ),
            models.UniqueConstraint(fields=["cow_code"], name="actor_unique_cow_code"),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="actor_status_kind_idx"),
            models.Index(fields=["status", "name"], name="actor_status_name_idx"),
        ]

    def __str__(self):
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def get_absolute_url(self):
        return reverse("cooperation:actor-detail", args=[self.slug])

    def clean(self):
        if self.kind == self.Kind.STATE and not self.country_code:
            raise ValidationError({"country_code": "A state needs its ISO 3166 country code."})
        if self.kind != self.Kind.STATE:
            errors = {}
            if self.country_code:
                errors["country_code"] = "Only states have a country code."
            if self.cow_code is not None:
                errors["cow_code"] = "Only states have a Correlates of War state code."
            if errors:
                raise ValidationError(errors)


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Memberships whose two actors are both visible to the user."""
        visible = Actor.objects.visible_to(user)
        return self.filter(member__in=visible, organisation__in=visible)


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, member, organisation, start_date):
        return self.get(member__slug=member, organisation__slug=organisation, start_date=start_date)


class Membership(TimeStampedModel):
    """One actor belonging to another (a state in an alliance, a unit in a task force) for a
    period, in a role."""

    class Role(models.TextChoices):
        FOUNDING_MEMBER = "founding_member", "Founding member"
        MEMBER = "member", "Member"
        PARTNER = "partner", "Partner"
        OBSERVER = "observer", "Observer"
        CONTRIBUTOR = "contributor", "Contributor"

    member = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=24, choices=Role, default=Role.MEMBER)
    start_date = models.DateField(null=True, blank=True, help_text="Entry date, where known.")
    end_date = models.DateField(null=True, blank=True, help_text="Exit date; empty if current.")
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="memberships")

    # Shown publicly only when both ends are published, as `visible_to` has it.
    public_rows = Q(member__status=Status.PUBLISHED, organisation__status=Status.PUBLISHED)

    _history_m2m_fields = ["sources"]

    objects = MembershipManager()

    class Meta:
        ordering = ["organisation__name", "start_date", "member__name"]
        constraints = [
            end_not_before_start("start_date", "end_date", "membership_end_not_before_start"),
            models.CheckConstraint(
                condition=~Q(member=models.F("organisation")),
                name="membership_not_of_itself",
                violation_error_message="An actor cannot be a member of itself.",
            ),
            models.UniqueConstraint(
                fields=["member", "organisation", "start_date"],
                name="membership_unique_period",
                violation_error_message="This membership is already recorded with this start date.",
            ),
        ]

    def __str__(self):
        return f"{self.member} in {self.organisation} ({self.get_role_display().lower()})"

    def natural_key(self):
        start = self.start_date.isoformat() if self.start_date else None
        return (self.member.slug, self.organisation.slug, start)

    natural_key.dependencies = ["cooperation.actor"]

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()
