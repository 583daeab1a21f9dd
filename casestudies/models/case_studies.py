"""Case studies of counterterrorism cooperation: when, where, what came of it and as of when,
and how firmly the atlas checked it against its sources."""

from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cooperation.models import (
    Actor,
    Confidence,
    DatePrecision,
    Era,
    PublishableModel,
    PublishableQuerySet,
    Region,
    SlugManager,
    Source,
    Status,
    end_not_before_start,
)


class CaseStudyQuerySet(PublishableQuerySet):
    def with_era(self):
        """Annotate each case study with the slug and name of the era its start date falls in."""
        eras = Era.objects.containing(OuterRef("start_date"))
        return self.annotate(
            era_slug=Subquery(eras.values("slug")[:1]),
            era_name=Subquery(eras.values("name")[:1]),
        )

    def with_claims_shown_to(self, user):
        """Prefetch each case study's claims of every kind (`revised_relations`) that `user`
        sees, with the record each links to: for case studies `user` is known to see (a page,
        an API detail)."""
        prefetches = []
        for relation in self.model.revised_relations:
            claim = getattr(self.model, relation).rel.related_model
            claims = (
                claim.objects.of_visible_case_study(user)
                .select_related(claim.linked_field)
                .order_by(*claim.ordering_within_case_study())
            )
            prefetches.append(Prefetch(relation, queryset=claims))
        return self.prefetch_related(*prefetches)


class CaseStudy(PublishableModel):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        MIXED = "mixed", "Mixed"
        FAILURE = "failure", "Failure"
        TOO_EARLY = "too_early", "Too early to judge"

    class Lifecycle(models.TextChoices):
        """Whether the arrangement still runs: from its dates, not a judgement."""

        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField(blank=True, help_text="Markdown.")
    start_date = models.DateField(
        help_text="The start, or the earliest day it can have started when the sources give a "
        "range (its era follows from this date)."
    )
    start_precision = models.CharField(
        max_length=8,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text="How much of the start date the sources give.",
    )
    start_latest = models.DateField(
        "latest possible start",
        null=True,
        blank=True,
        help_text="When the sources give only a range (e.g. after 11 September 2001, within "
        "that month): the latest day it can have started. Empty for a known date.",
    )
    end_date = models.DateField(null=True, blank=True, help_text="Empty while it is active.")
    end_latest = models.DateField(
        "latest possible end",
        null=True,
        blank=True,
        help_text="When the sources give only a range for the end: the latest day it can have "
        "ended; the end date is then the earliest. Empty for a known date.",
    )
    end_precision = models.CharField(
        max_length=8,
        choices=DatePrecision,
        blank=True,
        help_text="How much of the end date the sources give; empty without an end date.",
    )
    regions = models.ManyToManyField(Region, related_name="case_studies")
    countries = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="operations_hosted",
        limit_choices_to={"kind": Actor.Kind.STATE},
        verbose_name="countries of operation",
    )
    outcome = models.CharField(max_length=9, choices=Outcome)
    outcome_as_of = models.DateField(
        "outcome assessed as of",
        null=True,
        blank=True,
        help_text="The date on which the outcome and its assessment hold.",
    )
    reviewed_on = models.DateField(
        "checked as of",
        null=True,
        blank=True,
        help_text="When an editor last checked the case, claim by claim, against its sources.",
    )
    disagreements = models.TextField(
        "where sources disagree",
        blank=True,
        help_text="Facts on which reputable sources disagree, and how (Markdown).",
    )
    outcome_assessment = models.TextField(
        blank=True, help_text="Why the outcome is judged so (Markdown)."
    )
    lessons = models.TextField("lessons learned", blank=True, help_text="Markdown.")
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    sources = models.ManyToManyField(Source, blank=True, related_name="case_studies")

    search_weights = {
        "A": ["title"],
        "B": ["summary"],
        "C": ["body", "outcome_assessment", "lessons"],
    }
    stored_search_vector = True  # on PostgreSQL: migrations/0007_search_vector.py
    # Its published search vectors, narrow: the table and its key (migrations/0012_search_rows.py).
    search_rows = ("casestudies_searchrow", "case_study_id")
    _history_m2m_fields = ["regions", "countries", "sources"]
    # The claims that are part of the entry: edited with it, revised and published with it.
    revised_relations = ["participation_set", "mechanismuse_set", "challengeencounter_set"]

    objects = SlugManager.from_queryset(CaseStudyQuerySet)()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        permissions = [("review_casestudy", "Can publish, send back and archive case studies")]
        constraints = [
            end_not_before_start("start_date", "end_date", "casestudy_end_not_before_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_precision="")
                | Q(end_date__isnull=False) & ~Q(end_precision=""),
                name="casestudy_end_precision_with_end",
                violation_error_message="An end date has a precision, and no end date has none.",
            ),
            models.CheckConstraint(
                condition=Q(start_latest__isnull=True) | Q(start_latest__gte=F("start_date")),
                name="casestudy_start_range_in_order",
                violation_error_message="The latest possible start cannot come before the start.",
            ),
            models.CheckConstraint(
                condition=Q(end_latest__isnull=True)
                | Q(end_date__isnull=False, end_latest__gte=F("end_date")),
                name="casestudy_end_range_in_order",
                violation_error_message="The latest possible end needs an end date, and cannot "
                "come before it.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "title"], name="casestudy_status_title_idx"),
            models.Index(fields=["status", "start_date"], name="casestudy_status_start_idx"),
            models.Index(fields=["status", "-updated_at"], name="casestudy_status_updated_idx"),
            models.Index(fields=["status", "outcome"], name="casestudy_status_outcome_idx"),
            models.Index(
                fields=["title"], condition=Q(featured=True), name="casestudy_featured_idx"
            ),
            # Which of many ids are published, read from the index alone: a page's related case
            # studies check hundreds of candidates (casestudies.related), each a visit to a 2 kB
            # row of a table larger than PostgreSQL's buffer cache without it.
            models.Index(
                fields=["id"],
                condition=Q(status=Status.PUBLISHED),
                name="casestudy_published_id_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

    def claims(self):
        """Its participations, mechanism uses and challenge encounters, with what they link to
        and their sources."""
        for relation in self.revised_relations:
            links = getattr(self, relation)
            yield from links.select_related(links.model.linked_field).prefetch_related("sources")

    def publication_checklist(self):
        cited = self.pk is not None and self.sources.exists()
        checks = [
            (
                "The case study cites at least one source."
                if cited
                else "A case study needs at least one source before it can be published.",
                cited,
            )
        ]
        claims = list(self.claims()) if self.pk is not None else []
        unsourced = [claim for claim in claims if not claim.sources.all()]
        unrated = [claim for claim in claims if claim.confidence not in Confidence.values]
        for claim in unsourced:
            checks.append(
                (f"{claim._meta.verbose_name.capitalize()} “{claim}” cites no source.", False)
            )
        for claim in unrated:
            checks.append(
                (f"{claim._meta.verbose_name.capitalize()} “{claim}” gives no confidence.", False)
            )
        if not unsourced and not unrated:
            checks.append(
                (f"All {len(claims)} claims cite a source and say how confident they are.", True)
            )
        checks += self.checking_checklist(claims, unsourced)
        return checks

    def checking_checklist(self, claims, unsourced):
        """What a case checked against its sources promises: a "checked as of" day not in the
        future, an outcome assessed as of a day, every claim located in each of its sources,
        and `high` confidence only on an official source. A case published before checking
        began (no "checked as of" yet) is marked "not yet re-checked" on its page instead."""
        if self.reviewed_on is None:
            return [("Not yet checked claim by claim against its sources.", True)]
        today = timezone.localdate()
        checks = [
            (
                f"Checked against its sources on {date_format(self.reviewed_on)}."
                if self.reviewed_on <= today
                else "“Checked as of” cannot be a day in the future.",
                self.reviewed_on <= today,
            )
        ]
        assessed = self.outcome_as_of is not None and self.outcome_as_of <= today
        checks.append(
            (
                "Its outcome says as of when it holds."
                if assessed
                else "Say as of when its outcome holds (“outcome assessed as of”), a day not in "
                "the future.",
                assessed,
            )
        )
        evidence = [
            problem
            for claim in claims
            if claim not in unsourced
            for problem in claim.evidence_problems(claim.sources.all())
        ]
        checks += [(problem, False) for problem in evidence]
        if claims and not evidence:
            checks.append(
                (
                    "Every claim says where in its sources it stands, and only claims an "
                    "official source states are rated high.",
                    True,
                )
            )
        return checks

    def linked_drafts(self):
        if self.pk is None:
            return []
        linked = [getattr(claim, claim.linked_field) for claim in self.claims()]
        linked += list(self.countries.all())
        # Archived records were withdrawn on purpose: their links stay hidden, as they are.
        waiting = {Status.DRAFT, Status.IN_REVIEW}
        unseen = {
            (type(record), record.pk): record for record in linked if record.status in waiting
        }
        return list(unseen.values())

    @property
    def era(self):
        return Era.objects.containing(self.start_date).first()

    @property
    def lifecycle(self):
        """Active while it has no end date (or one still to come), ended after."""
        ended = self.end_date is not None and self.end_date <= timezone.localdate()
        return self.Lifecycle.ENDED if ended else self.Lifecycle.ACTIVE

    def normalise_precisions(self):
        """No precision on an absent date; an end date given without one is a day's."""
        if self.end_date is None:
            self.end_precision = ""
        elif not self.end_precision:
            self.end_precision = DatePrecision.DAY

    def clean(self):
        super().clean()
        self.normalise_precisions()  # before the constraints are checked, as save() would

    def save(self, *args, **kwargs):
        self.normalise_precisions()
        super().save(*args, **kwargs)
