"""API resources of the core domain: actors, memberships, mechanisms, challenges, regions, eras
and sources. Each lists and looks up only what `visible_to(user)` allows, prefetching what its
representation embeds so a page costs the same number of queries whatever its size."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation import references, serializers
from cooperation.api_support import ID_PATTERN, AtlasViewSet, visible_to_request
from cooperation.models import Actor, Challenge, Era, Mechanism, Membership, Region, Source, Topic
from cooperation.publishing import Status
from cooperation.search import ordered_by_rank, search

# Filters


def visible_choices(model):
    """Choices limited to what the requesting user may see, so a draft's slug is neither
    accepted nor revealed to the public."""
    return lambda request: model._default_manager.visible_to(getattr(request, "user", None))


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
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
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return queryset.order_by(*queryset.query.order_by, "pk")
        if self.ranked_search and self.form.cleaned_data.get("search"):
            return ordered_by_rank(queryset)
        return queryset.order_by(*self.default_order, "pk")


class PublishableFilterSet(EntryFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label="Publication status (only editors see drafts, so only they find any)",
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, label="Search text, ranked by relevance"
    )
    ranked_search = True

    def filter_search(self, queryset, name, value):
        return search(queryset, value)


class ActorFilterSet(PublishableFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Actor.Kind.choices)
    region = slug_filter(Region, "Region")
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
        method="filter_search", max_length=200, label="Text in the title, author or publisher"
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


# Views


def iso(value):
    return value.isoformat() if value is not None else None


@extend_schema_view(
    list=extend_schema(summary="List actors", description="States, alliances, organisations…"),
    retrieve=extend_schema(summary="An actor, with its memberships and sources"),
)
class ActorViewSet(AtlasViewSet):
    model = Actor
    serializer_class = serializers.ActorDetailSerializer
    list_serializer_class = serializers.ActorSerializer
    input_serializer_class = serializers.ActorInputSerializer
    filterset_class = ActorFilterSet
    list_dependencies = (Region,)
    csv_filename = "actors"
    csv_columns = (
        "slug",
        "name",
        "short_name",
        "kind",
        "country_code",
        "region",
        "founded",
        "dissolved",
        "status",
        "wikidata_qid",
        "cow_code",
        "atop_id",
        "summary",
        "url",
        "updated_at",
    )

    def get_queryset(self):
        queryset = super().get_queryset().select_related("region")
        if self.action == "list":
            return queryset
        memberships = self.visible(Membership)
        return queryset.prefetch_related(
            "sources",
            Prefetch("memberships", queryset=memberships.select_related("organisation")),
            Prefetch("members", queryset=memberships.select_related("member")),
        )

    def csv_row(self, actor):
        return {
            **{name: getattr(actor, name) for name in self.csv_columns[:5]},
            "region": actor.region.slug if actor.region else None,
            "founded": iso(actor.founded),
            "dissolved": iso(actor.dissolved),
            "status": actor.status,
            "wikidata_qid": actor.wikidata_qid,
            "cow_code": actor.cow_code,
            "atop_id": actor.atop_id,
            "summary": actor.summary,
            "url": self.site_url(actor),
            "updated_at": iso(actor.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List memberships of actors in other actors"),
    retrieve=extend_schema(summary="A membership"),
)
class MembershipViewSet(AtlasViewSet):
    model = Membership
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.MembershipSerializer
    input_serializer_class = serializers.MembershipInputSerializer
    filterset_class = MembershipFilterSet
    list_dependencies = (Actor, Source)
    csv_filename = "memberships"
    csv_columns = ("id", "member", "organisation", "role", "start_date", "end_date", "updated_at")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("member", "organisation")
            .prefetch_related("sources")
        )

    def csv_row(self, membership):
        return {
            "id": membership.pk,
            "member": membership.member.slug,
            "organisation": membership.organisation.slug,
            "role": membership.role,
            "start_date": iso(membership.start_date),
            "end_date": iso(membership.end_date),
            "updated_at": iso(membership.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List mechanisms of cooperation"),
    retrieve=extend_schema(summary="A mechanism, with its components and what it mitigates"),
)
class MechanismViewSet(AtlasViewSet):
    model = Mechanism
    serializer_class = serializers.MechanismDetailSerializer
    list_serializer_class = serializers.MechanismSerializer
    input_serializer_class = serializers.MechanismInputSerializer
    filterset_class = MechanismFilterSet
    list_dependencies = (Mechanism,)
    csv_filename = "mechanisms"
    csv_columns = ("slug", "name", "category", "parent", "status", "summary", "url", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset().select_related("parent")
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            Prefetch("components", queryset=self.visible(Mechanism)),
            Prefetch("mitigates", queryset=self.visible(Challenge)),
            "sources",
        )

    def csv_row(self, mechanism):
        parent = mechanism.parent if visible_to_request(mechanism.parent, self.request) else None
        return {
            "slug": mechanism.slug,
            "name": mechanism.name,
            "category": mechanism.category,
            "parent": parent.slug if parent else None,
            "status": mechanism.status,
            "summary": mechanism.summary,
            "url": self.site_url(mechanism),
            "updated_at": iso(mechanism.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List challenges to cooperation"),
    retrieve=extend_schema(summary="A challenge, with the mechanisms that mitigate it"),
)
class ChallengeViewSet(AtlasViewSet):
    model = Challenge
    serializer_class = serializers.ChallengeDetailSerializer
    list_serializer_class = serializers.ChallengeSerializer
    input_serializer_class = serializers.ChallengeInputSerializer
    filterset_class = ChallengeFilterSet
    csv_filename = "challenges"
    csv_columns = ("slug", "name", "category", "status", "summary", "url", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            Prefetch("mitigated_by", queryset=self.visible(Mechanism)), "sources"
        )

    def csv_row(self, challenge):
        return {
            "slug": challenge.slug,
            "name": challenge.name,
            "category": challenge.category,
            "status": challenge.status,
            "summary": challenge.summary,
            "url": self.site_url(challenge),
            "updated_at": iso(challenge.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List regions"), retrieve=extend_schema(summary="A region")
)
class RegionViewSet(AtlasViewSet):
    model = Region
    serializer_class = serializers.RegionSerializer
    input_serializer_class = serializers.RegionInputSerializer
    filterset_class = RegionFilterSet
    csv_filename = "regions"
    csv_columns = ("slug", "name", "summary", "url", "updated_at")

    def csv_row(self, region):
        return {
            "slug": region.slug,
            "name": region.name,
            "summary": region.summary,
            "url": self.site_url(region),
            "updated_at": iso(region.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List eras"), retrieve=extend_schema(summary="An era")
)
class EraViewSet(AtlasViewSet):
    model = Era
    serializer_class = serializers.EraSerializer
    input_serializer_class = serializers.EraInputSerializer
    filterset_class = EraFilterSet
    csv_filename = "eras"
    csv_columns = ("slug", "name", "start_date", "end_date", "summary", "url", "updated_at")

    def csv_row(self, era):
        return {
            "slug": era.slug,
            "name": era.name,
            "start_date": iso(era.start_date),
            "end_date": iso(era.end_date),
            "summary": era.summary,
            "url": self.site_url(era),
            "updated_at": iso(era.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="A source")
)
class SourceViewSet(AtlasViewSet):
    model = Source
    serializer_class = serializers.SourceSerializer
    input_serializer_class = serializers.SourceInputSerializer
    filterset_class = SourceFilterSet
    csv_filename = "sources"
    csv_columns = (
        "slug",
        "title",
        "author",
        "publisher",
        "link",
        "published_on",
        "accessed_on",
        "kind",
        "updated_at",
    )

    def csv_row(self, source):
        return {
            "slug": source.slug,
            "title": source.title,
            "author": source.author,
            "publisher": source.publisher,
            "link": source.url,
            "published_on": iso(source.published_on),
            "accessed_on": iso(source.accessed_on),
            "kind": source.kind,
            "updated_at": iso(source.updated_at),
        }


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description="The atlas's analysis pages, in navigation order, each with its Markdown, "
        "the rendered HTML and the records it refers to.",
    ),
    retrieve=extend_schema(summary="A topic, with its text and the records it refers to"),
)
class TopicViewSet(AtlasViewSet):
    model = Topic
    serializer_class = serializers.TopicSerializer
    input_serializer_class = serializers.TopicInputSerializer
    filterset_class = TopicFilterSet
    csv_filename = "topics"
    csv_columns = ("slug", "title", "nav_order", "status", "summary", "url", "updated_at")

    @property
    def list_dependencies(self):
        # A topic shows the current titles of the records it refers to.
        return (Source, *(kind.model for kind in references.kinds()))

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sources")

    def referenced_records(self, topic):
        """The records `topic` refers to that the user may see, looked up once per request."""
        key = (topic.pk, topic.version)
        if getattr(self, "_referenced", (None,))[0] != key:
            found = references.resolve_visible(references.parse(topic.body), self.user)
            self._referenced = (key, found)
        return self._referenced[1]

    def detail_validators(self, instance):
        etag, last_modified = super().detail_validators(instance)
        stamps = [
            last_modified,
            *(r.updated_at for r in self.referenced_records(instance).values()),
        ]
        return etag, max((stamp for stamp in stamps if stamp is not None), default=None)

    def etag_extra(self, instance):
        return sorted(
            (record._meta.label_lower, record.pk, record.version)
            for record in self.referenced_records(instance).values()
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and hasattr(self, "_referenced"):
            context["reference_records"] = self._referenced[1]
        return context

    def csv_row(self, topic):
        return {
            "slug": topic.slug,
            "title": topic.title,
            "nav_order": topic.nav_order,
            "status": topic.status,
            "summary": topic.summary,
            "url": self.site_url(topic),
            "updated_at": iso(topic.updated_at),
        }
