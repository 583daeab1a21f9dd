"""Facet counts for the case-study list. Each facet counts over the result of every other
filter (so choosing one region still shows what the other regions would add), in one query per
facet whatever the number of rows or values.

At 100,000 case studies the seven counts take about a second, so they are cached per filter
state under the content version (a change the reader could see retires them): shared by every
page and ordering of one filter state, and by everyone who sees the same drafts (anonymous
readers with each other, editors with the same permissions with each other, never the one with
the other)."""

from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db.models import Count, QuerySet

from casestudies.filters import active_condition
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.caching.versions import public_cache_seconds, versioned_key
from cooperation.models import Actor, Era, Region, visibility_class

# Facets with many values show the most frequent ones (and every selected one) in the sidebar,
# and link to a page with all of them.
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
    long: bool = False
    # How many values the facet has in this result, when `values` holds only the first of them
    # (the sidebar's, from the facet index: at 100,000 case studies the actor facet has 10,000).
    found: int | None = None

    @property
    def size(self):
        return len(self.values) if self.found is None else self.found

    @property
    def shown(self):
        """What the sidebar lists: every value of a short facet; of a long one the most frequent
        and every selected one, in the same order."""
        if not self.long:
            return self.values
        top = {value.value for value in self.values[:LONG_FACET_LIMIT]}
        return [value for value in self.values if value.value in top or value.selected]

    @property
    def hidden(self):
        """How many values the sidebar leaves to the "Show all" page."""
        return self.size - len(self.shown)


def facet_values(rows, selected):
    return [
        FacetValue(value=value, label=label, count=count, selected=value in selected)
        for value, label, count in rows
    ]


def _linked(link_model, field, queryset, user, selected, chosen):
    """Every value of a many-to-many facet found in the result, most frequent first, and every
    selected one. Counted from the link table, whose (case study, record) pairs are unique, for
    the result's case studies: one query, one row per value."""
    linked_model = link_model._meta.get_field(field).related_model
    rows = list(
        link_model.objects.filter(
            case_study__in=queryset, **{f"{field}__in": linked_model.objects.visible_to(user)}
        )
        .values_list(f"{field}__slug", f"{field}__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {slug for slug, _, _ in rows}
    rows += [(value.slug, value.name, 0) for value in chosen if value.slug not in found]
    return facet_values(sorted(rows, key=lambda row: (-row[2], row[1])), selected)


def _regions(queryset, user, selected, chosen):
    through = CaseStudy.regions.through
    counts = dict(
        through.objects.filter(casestudy__in=queryset)
        .values_list("region_id")
        .annotate(n=Count("pk"))
    )
    rows = [(region.slug, region.name, counts.get(region.pk, 0)) for region in Region.objects.all()]
    return facet_values(rows, selected)


def _eras(queryset, user, selected, chosen):
    eras = list(Era.objects.all())
    counts = queryset.aggregate(
        **{f"era_{index}": Count("pk", filter=era.condition()) for index, era in enumerate(eras)}
    )
    rows = [(era.slug, era.name, counts[f"era_{index}"]) for index, era in enumerate(eras)]
    return facet_values(rows, selected)


def _outcomes(queryset, user, selected, chosen):
    counts = dict(queryset.values_list("outcome").annotate(n=Count("pk")))
    rows = [(value, label, counts.get(value, 0)) for value, label in CaseStudy.Outcome.choices]
    return facet_values(rows, selected)


def _lifecycles(queryset, user, selected, chosen):
    active = active_condition()
    counts = queryset.aggregate(
        active=Count("pk", filter=active), ended=Count("pk", filter=~active)
    )
    rows = [(value, label, counts[value]) for value, label in CaseStudy.Lifecycle.choices]
    return facet_values(rows, selected)


def _actor_kinds(queryset, user, selected, chosen):
    counts = dict(
        Participation.objects.filter(
            case_study__in=queryset, actor__in=Actor.objects.visible_to(user)
        )
        .values_list("actor__kind")
        .annotate(n=Count("case_study", distinct=True))
    )
    rows = [(value, label, counts.get(value, 0)) for value, label in Actor.Kind.choices]
    return facet_values(rows, selected)


FACETS = [
    ("region", "Region", _regions),
    ("era", "Era", _eras),
    ("outcome", "Outcome", _outcomes),
    ("lifecycle", "Active or ended", _lifecycles),
    ("mechanism", "Mechanism", partial(_linked, MechanismUse, "mechanism")),
    ("challenge", "Challenge", partial(_linked, ChallengeEncounter, "challenge")),
    ("actor", "Actor", partial(_linked, Participation, "actor")),
    ("actor_kind", "Kind of actor", _actor_kinds),
]
FACET_NAMES = [name for name, _, _ in FACETS]
LONG_FACETS = {"mechanism", "challenge", "actor"}


def filter_state(cleaned):
    """The filters that decide the counts, in one form whatever their order or spelling in the
    query string: records by slug, several values sorted, empty filters left out."""
    state = []
    for name, value in sorted(cleaned.items()):
        if name == "ordering" or value in (None, ""):
            continue
        if isinstance(value, QuerySet | list | tuple | set):
            value = sorted(str(getattr(item, "slug", item)) for item in value)
            if not value:
                continue
        state.append((name, value))
    return state


def facet_counts(filterset, user):
    """Every facet of a bound, validated CaseStudyFilterSet, with counts for its other filters;
    from the cache when someone who sees the same drafts has asked for the same filters."""
    timeout = public_cache_seconds()
    if not timeout:
        return count_facets(filterset, user)
    state = filter_state(filterset.form.cleaned_data)
    visibility = visibility_class(user)
    key = versioned_key("facets-all-values", visibility, state, drafts=visibility != "public")
    facets = cache.get(key)
    if facets is None:
        facets = count_facets(filterset, user)
        cache.set(key, facets, timeout)
    return facets


def count_facets(filterset, user):
    cleaned = filterset.form.cleaned_data
    facets = []
    for name, label, count in FACETS:
        chosen = cleaned.get(name) or []
        selected = {getattr(value, "slug", value) for value in chosen}
        values = count(filterset.queryset_without(name), user, selected, chosen)
        facets.append(Facet(name, label, values, long=name in LONG_FACETS))
    return facets
