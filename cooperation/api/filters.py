"""The API's filters for the core domain's lists: strict (an unknown value is a 400 naming the
filter), and limited to what the reader may see."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField

from cooperation import references
from cooperation.filters import RecordsFilter, ordered, visible_choices
from cooperation.limits import SEARCH_MAX_LENGTH
from cooperation.models import (
    Actor,
    Challenge,
    Era,
    Mechanism,
    Membership,
    Region,
    Source,
    Status,
    Topic,
    wikidata_qid_validator,
)
from cooperation.search import search


class SlugsFilter(RecordsFilter):
    """Related records named by slug; several values mean any of them."""

    def get_filter_predicate(self, value):
        return {self.field_name: value}  # the record itself, not its slug


def slug_filter(model, label, **kwargs):
    return SlugsFilter(queryset=visible_choices(model), to_field_name="slug", label=label, **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, read in UTC: any offset Python accepts (up to a day) is fine,
    where the database would refuse some."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError as error:
            raise ValidationError("Enter a date and time within years 1 to 9999.") from error


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


def updated_after_filter():
    return UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label="Changed after this ISO 8601 date and time (e.g. 2026-01-31T12:00:00Z); to sync "
        "incrementally, send the latest updated_at you hold",
    )


class StrictFiltersMixin:
    """The API refuses what it cannot read rather than guess: a number, date or list filter
    given empty (`year_from=`, `ordering=`), or a list with empty items (`ordering=,,`)."""

    def get_form_class(self):
        base = super().get_form_class()
        lists = [
            name
            for name, filter_ in self.filters.items()
            if isinstance(filter_, django_filters.filters.BaseCSVFilter)
        ]
        typed = [
            name
            for name, filter_ in self.filters.items()
            if name in lists
            or issubclass(filter_.field_class, forms.DecimalField | forms.DateTimeField)
        ]

        def no_empty_items(name):
            def clean(form):
                value = form.cleaned_data.get(name)
                if value and any(item in ("", None) for item in value):
                    raise ValidationError("Leave no empty items between the commas.")
                return value

            return clean

        def clean(form):
            cleaned = base.clean(form)
            for name in typed:
                if form.data.get(name) == "" and name not in form.errors:
                    form.add_error(name, "Enter a value, or leave the filter out.")
            return cleaned

        attributes = {f"clean_{name}": no_empty_items(name) for name in lists}
        return type(base.__name__, (base,), {**attributes, "clean": clean})


class EntryFilterSet(StrictFiltersMixin, django_filters.FilterSet):
    """What every list accepts: changes since a time (to sync incrementally) and an order."""

    updated_after = updated_after_filter()
    default_order = ()
    ranked_search = False

    def filter_queryset(self, queryset):
        """An explicit order, else by relevance for a ranked search, else the default order;
        the primary key breaks ties so pages never overlap."""
        cleaned = self.form.cleaned_data
        return ordered(
            super().filter_queryset(queryset),
            explicit=cleaned.get("ordering"),
            ranked=self.ranked_search and cleaned.get("search"),
            default=self.default_order,
        )


class PublishableFilterSet(EntryFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label="Publication status (only editors see drafts, so only they find any)",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        label="Search text, ranked by relevance",
    )
    ranked_search = True

    def filter_search(self, queryset, name, value):
        return search(queryset, value)


class ActorFilterSet(PublishableFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Actor.Kind.choices)
    region = slug_filter(Region, "Region")
    # Looking an actor up by the ids other datasets give it (the codebook's crosswalk ids).
    wikidata = django_filters.CharFilter(
        field_name="wikidata_qid",
        label="Wikidata QID, e.g. Q7184",
        validators=[wikidata_qid_validator],
        max_length=20,
    )
    cow = django_filters.NumberFilter(
        field_name="cow_code", label="Correlates of War state number", min_value=1, max_value=999
    )
    atop = django_filters.NumberFilter(
        field_name="atop_id", label="ATOP alliance id", min_value=1, max_value=99999
    )
    ordering = django_filters.OrderingFilter(
        fields=[
            ("name", "name"),
            ("kind", "kind"),
            ("founded", "founded"),
            ("updated_at", "updated"),
        ]
    )
    default_order = ("name",)

    class Meta:
        model = Actor
        fields = []


class MechanismFilterSet(PublishableFilterSet):
    category = django_filters.MultipleChoiceFilter(choices=Mechanism.Category.choices)
    parent = slug_filter(Mechanism, "Parent mechanism (its components)")
    ordering = django_filters.OrderingFilter(
        fields=[("name", "name"), ("category", "category"), ("updated_at", "updated")]
    )
    default_order = ("name",)

    class Meta:
        model = Mechanism
        fields = []


class ChallengeFilterSet(PublishableFilterSet):
    category = django_filters.MultipleChoiceFilter(choices=Challenge.Category.choices)
    mitigated_by = slug_filter(Mechanism, "Mitigating mechanism", method="filter_mitigated_by")
    ordering = django_filters.OrderingFilter(
        fields=[("name", "name"), ("category", "category"), ("updated_at", "updated")]
    )
    default_order = ("name",)

    class Meta:
        model = Challenge
        fields = []

    def filter_mitigated_by(self, queryset, name, value):
        if not value:
            return queryset
        links = Challenge.mitigated_by.through.objects.filter(mechanism__in=value)
        return queryset.filter(pk__in=links.values("challenge_id"))


class TopicFilterSet(PublishableFilterSet):
    refers_to = django_filters.CharFilter(
        method="filter_refers_to",
        max_length=140,
        label="Topics that refer to this record, named as in the text: kind:slug, e.g. "
        "case-study:isaf-afghanistan",
    )
    ordering = django_filters.OrderingFilter(
        fields=[("nav_order", "order"), ("title", "title"), ("updated_at", "updated")]
    )
    default_order = ("nav_order", "title")

    class Meta:
        model = Topic
        fields = []

    def filter_refers_to(self, queryset, name, value):
        (reference,) = references.parse(f"[[{value}]]") or [None]
        kind = {kind.key: kind for kind in references.kinds()}.get(getattr(reference, "kind", ""))
        if kind is None:
            known = ", ".join(sorted(kind.key for kind in references.kinds()))
            raise ValidationError(
                {name: f"Name a record as kind:slug, where kind is one of {known}."}
            )
        user = getattr(self.request, "user", None)
        record = kind.model.objects.visible_to(user).filter(slug=reference.slug).first()
        if record is None:
            return queryset.none()
        return queryset.referring_to(record)


class MembershipFilterSet(EntryFilterSet):
    member = slug_filter(Actor, "Member actor")
    organisation = slug_filter(Actor, "Organisation")
    role = django_filters.MultipleChoiceFilter(choices=Membership.Role.choices)
    ordering = django_filters.OrderingFilter(
        fields=[("start_date", "start"), ("end_date", "end"), ("updated_at", "updated")]
    )
    default_order = ("organisation__name", "start_date", "member__name")

    class Meta:
        model = Membership
        fields = []


class RegionFilterSet(EntryFilterSet):
    ordering = django_filters.OrderingFilter(fields=[("name", "name"), ("updated_at", "updated")])
    default_order = ("name",)

    class Meta:
        model = Region
        fields = []


class EraFilterSet(EntryFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=[("start_date", "start"), ("name", "name"), ("updated_at", "updated")]
    )
    default_order = ("start_date",)

    class Meta:
        model = Era
        fields = []


class SourceFilterSet(EntryFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Source.Kind.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        label="Text in the title, author or publisher",
    )
    ordering = django_filters.OrderingFilter(
        fields=[("title", "title"), ("published_on", "published"), ("updated_at", "updated")]
    )
    default_order = ("title",)

    class Meta:
        model = Source
        fields = []

    def filter_search(self, queryset, name, value):
        condition = Q()
        for word in value.split()[:10]:
            condition &= (
                Q(title__icontains=word) | Q(author__icontains=word) | Q(publisher__icontains=word)
            )
        return queryset.filter(condition)
