"""The sourced claims that tie a case study to the actors that took part, the mechanisms used
and the challenges met."""

from django.db import models
from django.db.models import Case, Q, Value, When

from casestudies.models.case_studies import CaseStudy
from cooperation.models import (
    Actor,
    Challenge,
    Mechanism,
    SourcedClaim,
    Status,
    sees_drafts,
)


class CaseStudyLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Links whose case study and linked record are both visible to the user."""
        linked = self.model.linked_field
        linked_model = self.model._meta.get_field(linked).related_model
        return self.filter(
            case_study__in=CaseStudy.objects.visible_to(user),
            **{f"{linked}__in": linked_model.objects.visible_to(user)},
        )

    def of_visible_case_study(self, user):
        """Of the links of a case study the user is known to see, those whose linked record the
        user sees too: visible_to() without its case-study condition, and the record's condition
        a join, not a subquery, which takes the worker about 2 ms less to build each time (a
        case-study page and its API detail read three kinds of link)."""
        linked = self.model.linked_field
        if sees_drafts(user, self.model._meta.get_field(linked).related_model):
            return self.all()
        return self.filter(**{f"{linked}__status": Status.PUBLISHED})


class CaseStudyLinkManager(models.Manager.from_queryset(CaseStudyLinkQuerySet)):
    def get_by_natural_key(self, case_study, linked):
        return self.get(case_study__slug=case_study, **{f"{self.model.linked_field}__slug": linked})


class CaseStudyLink(SourcedClaim):
    """A sourced link from a case study to one record (named by `linked_field`); one per record
    and case study."""

    linked_field: str

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE)

    objects = CaseStudyLinkManager()

    class Meta(SourcedClaim.Meta):
        abstract = True

    @property
    def public_rows(self):
        """Shown publicly only when both ends are published, as `visible_to` has it: editing a
        draft actor's part in a published case study retires no public cache."""
        return Q(
            case_study__status=Status.PUBLISHED,
            **{f"{self.linked_field}__status": Status.PUBLISHED},
        )

    def natural_key(self):
        return (self.case_study.slug, getattr(self, self.linked_field).slug)

    natural_key.dependencies = [
        "casestudies.casestudy",
        "cooperation.actor",
        "cooperation.mechanism",
        "cooperation.challenge",
    ]

    def get_absolute_url(self):
        return self.case_study.get_absolute_url()

    @classmethod
    def ordering_within_case_study(cls):
        """The claims' order (Meta.ordering) among one case study's own: without the terms on
        the case study, which join its table only to order rows that all share it."""
        return [
            term
            for term in cls._meta.ordering
            if not (isinstance(term, str) and term.lstrip("-").split("__")[0] == "case_study")
        ]


class ParticipantRole(models.TextChoices):
    """Roles in the order a case study lists them."""

    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    PARTNER = "partner", "Partner"
    HOST_NATION = "host_nation", "Host nation"
    ADVERSARY = "adversary", "Adversary"


ROLE_RANK = Case(
    *[When(role=role, then=Value(rank)) for rank, role in enumerate(ParticipantRole.values)],
    output_field=models.IntegerField(),
)


class Participation(CaseStudyLink):
    linked_field = "actor"
    Role = ParticipantRole

    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=16, choices=Role)
    contribution = models.TextField(blank=True, help_text="What the actor contributed.")

    class Meta(CaseStudyLink.Meta):
        ordering = [ROLE_RANK, "case_study__start_date", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "actor"],
                name="participation_one_role_per_actor",
                violation_error_message="This actor already takes part in this case study.",
            )
        ]
        # Lists of an actor's case studies, newest first, and related-case-study candidates.
        indexes = [
            models.Index(fields=["actor", "case_study"], name="participation_actor_case_idx")
        ]

    def __str__(self):
        return f"{self.actor} in {self.case_study} ({self.get_role_display().lower()})"


class MechanismUse(CaseStudyLink):
    linked_field = "mechanism"

    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, related_name="uses")
    description = models.TextField("how it was used", blank=True)

    class Meta(CaseStudyLink.Meta):
        ordering = ["case_study", "mechanism__name"]
        verbose_name = "mechanism used"
        verbose_name_plural = "mechanisms used"
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "mechanism"],
                name="mechanismuse_unique",
                violation_error_message="This mechanism is already linked to this case study.",
            )
        ]
        indexes = [
            models.Index(fields=["mechanism", "case_study"], name="mechanismuse_mech_case_idx")
        ]

    def __str__(self):
        return f"{self.mechanism} in {self.case_study}"


class ChallengeEncounter(CaseStudyLink):
    linked_field = "challenge"

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="encounters")
    manifestation = models.TextField("how it showed", blank=True)
    response = models.TextField("how it was handled", blank=True)

    class Meta(CaseStudyLink.Meta):
        ordering = ["case_study", "challenge__name"]
        verbose_name = "challenge met"
        verbose_name_plural = "challenges met"
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "challenge"],
                name="challengeencounter_unique",
                violation_error_message="This challenge is already linked to this case study.",
            )
        ]
        indexes = [
            models.Index(fields=["challenge", "case_study"], name="challengeenc_chal_case_idx")
        ]

    def __str__(self):
        return f"{self.challenge} in {self.case_study}"
