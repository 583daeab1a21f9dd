"""The core domain: who cooperates (actors and their memberships), how (mechanisms), what gets in
the way (challenges), where and when (regions and eras), and on whose word (sources)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cooperation import references
from cooperation.publishing import (
    PublishableModel,
    PublishableQuerySet,
    ReferenceManager,
    ReferenceQuerySet,
    SlugManager,
    Status,
    TimeStampedModel,
)

wikidata_qid_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "Enter a Wikidata item id: Q followed by digits, e.g. Q7184."
)
country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Enter an ISO 3166-1 alpha-2 code in capitals, e.g. CA."
)


def end_not_before_start(start_field, end_field, name):
    """A named database rule that an end date, when known, does not come before its start."""
    return models.CheckConstraint(
        condition=Q(**{f"{end_field}__isnull": True})
        | Q(**{f"{start_field}__isnull": True})
        | Q(**{f"{end_field}__gte": models.F(start_field)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


class Confidence(models.TextChoices):
    """How firmly the cited sources support a claim."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class DatePrecision(models.TextChoices):
    """How much of a date the sources actually give; the rest is filled with the first day."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


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
    def containing(self, date):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=date), start_date__lte=date)


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

    def clean(self):
        if self.start_date is None:
            return
        others = Era.objects.exclude(pk=self.pk).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
        )
        if self.end_date is not None:
            others = others.filter(start_date__lte=self.end_date)
        overlapping = others.first()
        if overlapping is not None:
            raise ValidationError(
                {"start_date": f"These dates overlap the era “{overlapping}”; eras cannot overlap."}
            )


class Actor(PublishableModel):
    class Kind(models.TextChoices):
        STATE = "state", "State"
        MILITARY_ALLIANCE = "military_alliance", "Military alliance"
        INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
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

    public_rows = Q(member__status=Status.PUBLISHED) | Q(organisation__status=Status.PUBLISHED)

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

    def publication_problems(self):
        # A record referred to when the topic was saved may have been unpublished since.
        return references.problems(self.body)

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


class SourcedClaim(TimeStampedModel):
    """A link between two records that is itself a claim: it cites its sources and says how
    firmly they support it, so every statement an analyst reads can be traced."""

    confidence = models.CharField(max_length=8, choices=Confidence, default=Confidence.MEDIUM)
    sources = models.ManyToManyField(Source, blank=True)

    _history_m2m_fields = ["sources"]

    class Meta:
        abstract = True


class ContentVersion(models.Model):
    """One row whose token changes after every committed change to the atlas's content, so that
    cached public pages are looked up under the token and a change makes them all unreachable.
    Kept in the database, not the cache, so every server process agrees on it."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
