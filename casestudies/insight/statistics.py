"""The statistics: case studies by era, region and mechanism, mechanisms against challenges, and
outcomes by mechanism."""

from dataclasses import dataclass

from django.db.models import Count, Q, Window

from casestudies.insight.selection import page_url, visible_selection
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse
from cooperation.models import Era, Mechanism, Region

# Bar charts of mechanisms, and the mechanism-by-challenge matrix, show the most frequent:
MECHANISM_LIMIT = 20


MATRIX_LIMIT = 12


@dataclass(frozen=True)
class Tally:
    """How many case studies of the selection one record (or value) counts."""

    slug: str
    name: str
    count: int
    url: str = ""


@dataclass(frozen=True)
class Counts:
    """Counts of the selection's case studies by one dimension."""

    rows: list  # of Tally
    total: int  # case studies in the selection
    others: int = 0  # case studies (eras) or records (mechanisms) not in `rows`


def eras(queryset, user):
    """Case studies per era (the era their start date falls in), oldest era first. Two queries."""
    every = list(Era.objects.visible_to(user).order_by("start_date"))
    counts = CaseStudy.objects.filter(pk__in=visible_selection(queryset, user)).aggregate(
        total=Count("pk"),
        **{f"era_{index}": Count("pk", filter=era.condition()) for index, era in enumerate(every)},
    )
    rows = [
        Tally(era.slug, era.name, counts[f"era_{index}"], page_url("era-detail", era.slug))
        for index, era in enumerate(every)
    ]
    in_eras = sum(row.count for row in rows)
    return Counts(rows=rows, total=counts["total"], others=counts["total"] - in_eras)


def regions(queryset, user):
    """Case studies per region, most first (a case study in several regions counts in each).
    Three queries."""
    scope = visible_selection(queryset, user)
    through = CaseStudy.regions.through
    counts = dict(
        through.objects.filter(casestudy_id__in=scope)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    every = Region.objects.visible_to(user).order_by("name").values_list("pk", "slug", "name")
    rows = [
        Tally(slug, name, counts.get(pk, 0), page_url("region-detail", slug))
        for pk, slug, name in every
    ]
    rows.sort(key=lambda row: (-row.count, row.name))
    total = CaseStudy.objects.filter(pk__in=scope).count()
    return Counts(rows=rows, total=total)


def _top_linked(link_model, field, queryset, user, limit):
    """The records of one kind linked to the most case studies of the selection, most first;
    their primary keys; and how many such records there are in all. One query: the window
    function counts the groups before the limit applies."""
    linked_model = link_model._meta.get_field(field).related_model
    links = link_model.objects.filter(
        case_study__in=visible_selection(queryset, user),
        **{f"{field}__in": linked_model.objects.visible_to(user)},
    )
    found = list(
        links.values_list(f"{field}_id", f"{field}__slug", f"{field}__name")
        .annotate(n=Count("pk"), used=Window(Count("*")))  # one link per record and case study
        .order_by("-n", f"{field}__name")[:limit]
    )
    route = f"cooperation:{linked_model._meta.model_name}-detail"
    rows = [Tally(slug, name, n, page_url(route, slug)) for _, slug, name, n, _ in found]
    return rows, [row[0] for row in found], found[0][-1] if found else 0


def mechanisms(queryset, user, *, limit=MECHANISM_LIMIT):
    """The mechanisms used by the most case studies of the selection, most first. Two queries."""
    rows, _, used = _top_linked(MechanismUse, "mechanism", queryset, user, limit)
    total = CaseStudy.objects.filter(pk__in=visible_selection(queryset, user)).count()
    return Counts(rows=rows, total=total, others=used - len(rows))


@dataclass(frozen=True)
class Matrix:
    """How many case studies of the selection used each mechanism and met each challenge."""

    mechanisms: list  # of Tally, most used first
    challenges: list  # of Tally, most met first
    cells: dict  # (mechanism slug, challenge slug) -> case studies
    mechanisms_total: int
    challenges_total: int

    def count(self, mechanism, challenge):
        return self.cells.get((mechanism, challenge), 0)

    def rows(self):
        """Each mechanism with its count for every challenge, in column order."""
        return [
            (
                mechanism,
                [self.count(mechanism.slug, challenge.slug) for challenge in self.challenges],
            )
            for mechanism in self.mechanisms
        ]

    @property
    def maximum(self):
        return max(self.cells.values(), default=0)


def matrix(queryset, user, *, limit=MATRIX_LIMIT):
    """The mechanism-by-challenge matrix over the `limit` most used mechanisms and the `limit` most
    met challenges of the selection. Three queries."""
    top_mechanisms, mechanism_ids, mechanisms_total = _top_linked(
        MechanismUse, "mechanism", queryset, user, limit
    )
    top_challenges, challenge_ids, challenges_total = _top_linked(
        ChallengeEncounter, "challenge", queryset, user, limit
    )
    pairs = (
        MechanismUse.objects.filter(
            case_study__in=visible_selection(queryset, user),
            mechanism_id__in=mechanism_ids,
            case_study__challengeencounter__challenge_id__in=challenge_ids,
        )
        .values_list("mechanism__slug", "case_study__challengeencounter__challenge__slug")
        .annotate(n=Count("case_study_id"))
        .order_by()
    )
    return Matrix(
        mechanisms=top_mechanisms,
        challenges=top_challenges,
        cells={(mechanism, challenge): n for mechanism, challenge, n in pairs},
        mechanisms_total=mechanisms_total,
        challenges_total=challenges_total,
    )


@dataclass(frozen=True)
class MechanismOutcomes:
    mechanism: Tally  # its count: case studies of the selection that used it
    outcomes: list  # (outcome value, label, count) in the order of CaseStudy.Outcome


@dataclass(frozen=True)
class OutcomesByMechanism:
    rows: list  # of MechanismOutcomes, most used mechanism first
    outcomes: list  # (value, label) of CaseStudy.Outcome
    others: int  # mechanisms used in the selection but not shown


def outcomes_by_mechanism(queryset, user, *, limit=MATRIX_LIMIT):
    """For the `limit` mechanisms used by the most case studies of the selection, how many of
    those case studies ended in each outcome. One query."""
    links = MechanismUse.objects.filter(
        case_study__in=visible_selection(queryset, user),
        mechanism__in=Mechanism.objects.visible_to(user),
    )
    outcomes = list(CaseStudy.Outcome.choices)
    per_outcome = {
        f"outcome_{value}": Count("pk", filter=Q(case_study__outcome=value))
        for value, _ in outcomes
    }
    found = list(
        links.values("mechanism_id", "mechanism__slug", "mechanism__name")
        .annotate(n=Count("pk"), used=Window(Count("*")), **per_outcome)
        .order_by("-n", "mechanism__name")[:limit]
    )
    rows = [
        MechanismOutcomes(
            mechanism=Tally(
                row["mechanism__slug"],
                row["mechanism__name"],
                row["n"],
                page_url("cooperation:mechanism-detail", row["mechanism__slug"]),
            ),
            outcomes=[(value, label, row[f"outcome_{value}"]) for value, label in outcomes],
        )
        for row in found
    ]
    used = found[0]["used"] if found else 0
    return OutcomesByMechanism(rows=rows, outcomes=outcomes, others=used - len(rows))
