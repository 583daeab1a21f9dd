"""The API's filters for case studies (the site's own FilterSet, strict) and for their claims."""

import django_filters
from django import forms

from casestudies.facets import FACET_NAMES
from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.api.filters import (
    EntryFilterSet,
    StrictFiltersMixin,
    slug_filter,
    updated_after_filter,
)
from cooperation.limits import SEARCH_MAX_LENGTH
from cooperation.models import Actor, Challenge, Confidence, Mechanism, Status


def requested_facets(value):
    """The facet names of `?facets=region,actor`, each once, in the order given."""
    return list(dict.fromkeys(name.strip() for name in (value or "").split(",") if name.strip()))


class CaseStudyAPIFilterSet(StrictFiltersMixin, CaseStudyFilterSet):
    """The site's filters, plus what API clients need: `search` (the same as `q`), drafts by
    `status` for editors, and `updated_after` to sync incrementally."""

    search = django_filters.CharFilter(
        method="filter_alias",
        max_length=SEARCH_MAX_LENGTH,
        label="Search text, ranked by relevance (the same as q; q wins if both are given)",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label="Publication status (only editors see drafts, so only they find any)",
    )
    updated_after = updated_after_filter()
    facets = django_filters.CharFilter(
        method="filter_alias",
        max_length=200,
        label="Facet counts to add to the response under `facets`, as the site's sidebar shows "
        f"them, comma-separated: {', '.join(FACET_NAMES)}",
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("search") and not data.get("q"):
            data = data.copy()
            data["q"] = data["search"]
        super().__init__(data, *args, **kwargs)

    def filter_alias(self, queryset, name, value):
        return queryset  # applied as `q`

    def get_form_class(self):
        """Years are whole numbers (the shared filter would take 2001.5)."""
        base = super().get_form_class()

        def facet_names(form):
            names = requested_facets(form.cleaned_data.get("facets"))
            unknown = [name for name in names if name not in FACET_NAMES]
            if unknown:
                raise forms.ValidationError(
                    f"No facet called {', '.join(unknown)}; choose from {', '.join(FACET_NAMES)}."
                )
            return form.cleaned_data.get("facets")

        def whole(form, name):
            value = form.cleaned_data.get(name)
            if value is not None and value != int(value):
                raise forms.ValidationError("Enter a whole year.")
            return value

        return type(
            base.__name__,
            (base,),
            {
                "clean_year_from": lambda form: whole(form, "year_from"),
                "clean_year_to": lambda form: whole(form, "year_to"),
                "clean_facets": facet_names,
            },
        )


class LinkFilterSet(EntryFilterSet):
    case_study = slug_filter(CaseStudy, "Case study")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices)
    ordering = django_filters.OrderingFilter(
        fields=[("case_study__title", "case_study"), ("updated_at", "updated")]
    )


class ParticipationFilterSet(LinkFilterSet):
    actor = slug_filter(Actor, "Actor")
    role = django_filters.MultipleChoiceFilter(choices=Participation.Role.choices)
    default_order = ("case_study__title", "role", "actor__name")

    class Meta:
        model = Participation
        fields = []


class MechanismUseFilterSet(LinkFilterSet):
    mechanism = slug_filter(Mechanism, "Mechanism")
    default_order = ("case_study__title", "mechanism__name")

    class Meta:
        model = MechanismUse
        fields = []


class ChallengeEncounterFilterSet(LinkFilterSet):
    challenge = slug_filter(Challenge, "Challenge")
    default_order = ("case_study__title", "challenge__name")

    class Meta:
        model = ChallengeEncounter
        fields = []
