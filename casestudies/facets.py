"""Facet counts for the case-study list. Each facet counts over the result of every other
filter (so choosing one region still shows what the other regions would add), in one query per
facet whatever the number of rows or values."""

from dataclasses import dataclass

from django.db.models import Case, Count, Q, When

from casestudies.filters import era_condition
from casestudies.models import CaseStudy, Participation
from cooperation.models import Actor, Challenge, Era, Mechanism, Region

# Facets with many values show the most frequent ones (and every selected one).
LONG_FACET_LIMIT = 12


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list


def _values(rows, selected):
    return [
        FacetValue(value=value, label=label, count=count, selected=value in selected)
        for value, label, count in rows
    ]


def _linked(model, relation, queryset, user, selected):
    """The most frequent values of a many-to-many facet, and every selected one."""
    in_result = Q(**{f"{relation}__case_study__in": queryset})
    rows = (
        model.objects.visible_to(user)
        .annotate(
            n=Count(relation, filter=in_result),
            chosen=Case(When(slug__in=selected, then=1), default=0),
        )
        .filter(Q(n__gt=0) | Q(chosen=1))
        .order_by("-chosen", "-n", "name")
        .values_list("slug", "name", "n")[: LONG_FACET_LIMIT + len(selected)]
    )
    return _values(sorted(rows, key=lambda row: (-row[2], row[1])), selected)


def _regions(queryset, user, selected):
    rows = Region.objects.annotate(
        n=Count("case_studies", filter=Q(case_studies__in=queryset))
    ).values_list("slug", "name", "n")
    return _values(rows, selected)


def _eras(queryset, user, selected):
    eras = list(Era.objects.all())
    counts = queryset.aggregate(
        **{f"era_{index}": Count("pk", filter=era_condition(era)) for index, era in enumerate(eras)}
    )
    rows = [(era.slug, era.name, counts[f"era_{index}"]) for index, era in enumerate(eras)]
    return _values(rows, selected)


def _outcomes(queryset, user, selected):
    counts = dict(queryset.values_list("outcome").annotate(n=Count("pk")))
    rows = [(value, label, counts.get(value, 0)) for value, label in CaseStudy.Outcome.choices]
    return _values(rows, selected)


def _actor_kinds(queryset, user, selected):
    counts = dict(
        Participation.objects.filter(
            case_study__in=queryset, actor__in=Actor.objects.visible_to(user)
        )
        .values_list("actor__kind")
        .annotate(n=Count("case_study", distinct=True))
    )
    rows = [(value, label, counts.get(value, 0)) for value, label in Actor.Kind.choices]
    return _values(rows, selected)


FACETS = [
    ("region", "Region", _regions),
    ("era", "Era", _eras),
    ("outcome", "Outcome", _outcomes),
    (
        "mechanism",
        "Mechanism",
        lambda qs, user, selected: _linked(Mechanism, "uses", qs, user, selected),
    ),
    (
        "challenge",
        "Challenge",
        lambda qs, user, selected: _linked(Challenge, "encounters", qs, user, selected),
    ),
    (
        "actor",
        "Actor",
        lambda qs, user, selected: _linked(Actor, "participations", qs, user, selected),
    ),
    ("actor_kind", "Kind of actor", _actor_kinds),
]


def facet_counts(filterset, user):
    """Every facet of a bound, validated CaseStudyFilterSet, with counts for its other filters."""
    cleaned = filterset.form.cleaned_data
    facets = []
    for name, label, count in FACETS:
        chosen = cleaned.get(name) or []
        selected = {getattr(value, "slug", value) for value in chosen}
        facets.append(Facet(name, label, count(filterset.queryset_without(name), user, selected)))
    return facets
