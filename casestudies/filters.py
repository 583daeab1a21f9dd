"""The one definition of how case studies are filtered: used by the list page, its exports and
the API, so a facet and an API filter can never disagree.

Several values of one filter mean any of them; different filters must all hold. Many-to-many
filters select by primary key subquery, so a case study matching two values appears once."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.filters import RecordsFilter, ordered, visible_choices
from cooperation.limits import SEARCH_MAX_LENGTH, YEAR_MAX, YEAR_MIN
from cooperation.models import Actor, Challenge, Era, Mechanism, Region
from cooperation.search import search


class LinkedSlugFilter(RecordsFilter):
    """Several slugs of a linked record, any of which may match. `case_study_ids(records)` gives
    the matching case studies as a subquery, so one matching two values still appears once."""

    def __init__(self, *, model, case_study_ids, **kwargs):
        self.case_study_ids = case_study_ids
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("queryset", visible_choices(model))
        super().__init__(to_field_name="slug", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(pk__in=self.case_study_ids(value))


class EraFilter(RecordsFilter):
    """A case study belongs to the era its start date falls in."""

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for era in value:
            condition |= era.condition()
        return qs.filter(condition)


class YearFilter(django_filters.NumberFilter):
    """A whole year within the range the atlas covers."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


def visible_states(request):
    """The states the requesting user may see: what `country` takes."""
    return visible_choices(Actor)(request).filter(kind=Actor.Kind.STATE)


def in_countries(states):
    """The case studies of these states: where one is a country of operation or takes part (in
    any role). The map counts each country by this same rule."""
    operated = CaseStudy.countries.through.objects.filter(actor__in=states)
    took_part = Participation.objects.filter(actor__in=states)
    return CaseStudy.objects.filter(
        Q(pk__in=operated.values("casestudy_id")) | Q(pk__in=took_part.values("case_study_id"))
    ).values("pk")


def active_condition():
    """Case studies still running today: no end date, or one still to come."""
    return Q(end_date__isnull=True) | Q(end_date__gt=timezone.localdate())


class CaseStudyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label="Search", max_length=SEARCH_MAX_LENGTH
    )
    region = LinkedSlugFilter(
        model=Region,
        case_study_ids=lambda regions: CaseStudy.regions.through.objects.filter(
            region__in=regions
        ).values("casestudy_id"),
    )
    era = EraFilter(
        queryset=visible_choices(Era), to_field_name="slug", widget=forms.CheckboxSelectMultiple
    )
    outcome = django_filters.MultipleChoiceFilter(
        choices=CaseStudy.Outcome.choices, widget=forms.CheckboxSelectMultiple
    )
    lifecycle = django_filters.MultipleChoiceFilter(
        choices=CaseStudy.Lifecycle.choices,
        method="filter_lifecycle",
        widget=forms.CheckboxSelectMultiple,
        label="Active or ended",
    )
    mechanism = LinkedSlugFilter(
        model=Mechanism,
        case_study_ids=lambda mechanisms: MechanismUse.objects.filter(
            mechanism__in=mechanisms
        ).values("case_study_id"),
    )
    challenge = LinkedSlugFilter(
        model=Challenge,
        case_study_ids=lambda challenges: ChallengeEncounter.objects.filter(
            challenge__in=challenges
        ).values("case_study_id"),
    )
    actor = LinkedSlugFilter(
        model=Actor,
        case_study_ids=lambda actors: Participation.objects.filter(actor__in=actors).values(
            "case_study_id"
        ),
    )
    country = LinkedSlugFilter(
        model=Actor,
        queryset=visible_states,
        case_study_ids=in_countries,
        label="Country (of operation, or taking part)",
    )
    actor_kind = django_filters.MultipleChoiceFilter(
        choices=Actor.Kind.choices, method="filter_actor_kind", widget=forms.CheckboxSelectMultiple
    )
    year_from = YearFilter(method="filter_year_from", label="From year")
    year_to = YearFilter(method="filter_year_to", label="To year")

    ordering = django_filters.OrderingFilter(
        fields=[("title", "title"), ("start_date", "start"), ("updated_at", "updated")],
        field_labels={"title": "Title", "start_date": "Start date", "updated_at": "Last updated"},
        label="Sort by",
    )

    class Meta:
        model = CaseStudy
        fields = []

    def filter_search(self, qs, name, value):
        return search(qs, value)

    def queryset_without(self, excluded):
        """The result with every filter but `excluded` applied, unordered: what a facet counts
        over, so its other values still show how many they would add."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in {excluded, "ordering"}:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def filter_queryset(self, queryset):
        """Without an explicit order: by relevance for a search, by title otherwise."""
        cleaned = self.form.cleaned_data
        return ordered(
            super().filter_queryset(queryset),
            explicit=cleaned.get("ordering"),
            ranked=cleaned.get("q"),
            default=["title"],
        )

    def filter_actor_kind(self, qs, name, value):
        if not value:
            return qs
        links = Participation.objects.filter(actor__kind__in=value)
        if self.request is not None:
            links = links.filter(actor__in=Actor.objects.visible_to(self.request.user))
        return qs.filter(pk__in=links.values("case_study_id"))

    def filter_lifecycle(self, qs, name, value):
        if not value or set(value) >= set(CaseStudy.Lifecycle.values):
            return qs
        active = active_condition()
        return qs.filter(active) if CaseStudy.Lifecycle.ACTIVE in value else qs.exclude(active)

    def filter_year_from(self, qs, name, value):
        """Case studies still running in or after this year."""
        return qs.filter(Q(end_date__isnull=True) | Q(end_date__year__gte=value))

    def filter_year_to(self, qs, name, value):
        """Case studies that had begun by the end of this year."""
        return qs.filter(start_date__year__lte=value)
