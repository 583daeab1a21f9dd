"""API resources for case studies and their sourced links: participations (actors and their
roles), mechanisms used and challenges met. The case-study list filters through the shared
CaseStudyFilterSet, so the API and the site's facets can never disagree."""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from casestudies.exports import COLUMNS, export_rows
from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.api.filters import (
    EntryFilterSet,
    StrictFiltersMixin,
    slug_filter,
    updated_after_filter,
)
from cooperation.api.serializers.fields import PUBLISHABLE_FIELDS, EntryURLField, SiteURLField
from cooperation.api.serializers.inputs import ModelInputSerializer, VisibleSlugRelatedField
from cooperation.api.serializers.refs import (
    ActorRefSerializer,
    ChallengeRefSerializer,
    EraRefSerializer,
    MechanismRefSerializer,
    RegionRefSerializer,
    SourceRefSerializer,
)
from cooperation.api.viewsets.base import ID_PATTERN, AtlasViewSet, iso
from cooperation.models import Actor, Challenge, Confidence, Era, Mechanism, Region, Source, Status

LINK_FIELDS = ["confidence", "sources", "version", "created_at", "updated_at"]
LIST_DEFERRED = ["body", "outcome_assessment", "lessons", "review_note"]


# Serializers


class CaseStudyRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:casestudy-detail", lookup_field="slug")

    class Meta:
        model = CaseStudy
        fields = ["url", "slug", "title"]


class ParticipantSerializer(serializers.ModelSerializer):
    """A participation as the case study shows it: who, in what role, on whose word."""

    url = EntryURLField(view_name="api:participation-detail")
    actor = ActorRefSerializer(read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Participation
        fields = ["url", "id", "actor", "role", "contribution", *LINK_FIELDS]


class MechanismUsedSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:mechanismuse-detail")
    mechanism = MechanismRefSerializer(read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = MechanismUse
        fields = ["url", "id", "mechanism", "description", *LINK_FIELDS]


class ChallengeMetSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:challengeencounter-detail")
    challenge = ChallengeRefSerializer(read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = ChallengeEncounter
        fields = ["url", "id", "challenge", "manifestation", "response", *LINK_FIELDS]


class ParticipationSerializer(ParticipantSerializer):
    case_study = CaseStudyRefSerializer(read_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = ["url", "id", "case_study", "actor", "role", "contribution", *LINK_FIELDS]


class MechanismUseSerializer(MechanismUsedSerializer):
    case_study = CaseStudyRefSerializer(read_only=True)

    class Meta(MechanismUsedSerializer.Meta):
        fields = ["url", "id", "case_study", "mechanism", "description", *LINK_FIELDS]


class ChallengeEncounterSerializer(ChallengeMetSerializer):
    case_study = CaseStudyRefSerializer(read_only=True)

    class Meta(ChallengeMetSerializer.Meta):
        fields = [
            "url",
            "id",
            "case_study",
            "challenge",
            "manifestation",
            "response",
            *LINK_FIELDS,
        ]


@extend_schema_field(EraRefSerializer(allow_null=True))
class EraField(serializers.Field):
    """The era the start date falls in, from the `with_era()` annotation."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not getattr(value, "era_slug", None):
            return None
        url = reverse("api:era-detail", args=[value.era_slug])
        request = self.context.get("request")
        return {
            "url": request.build_absolute_uri(url) if request is not None else url,
            "slug": value.era_slug,
            "name": value.era_name,
        }


class CaseStudySerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:casestudy-detail", lookup_field="slug")
    site_url = SiteURLField()
    era = EraField()
    regions = RegionRefSerializer(many=True, read_only=True)

    class Meta:
        model = CaseStudy
        fields = [
            "url",
            "site_url",
            "slug",
            "title",
            "summary",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "era",
            "regions",
            "outcome",
            "featured",
            *PUBLISHABLE_FIELDS,
        ]


class CaseStudyDetailSerializer(CaseStudySerializer):
    countries = ActorRefSerializer(many=True, read_only=True, help_text="Countries of operation.")
    participants = ParticipantSerializer(
        source="participation_set", many=True, read_only=True, help_text="Who took part."
    )
    mechanisms = MechanismUsedSerializer(
        source="mechanismuse_set", many=True, read_only=True, help_text="Mechanisms used."
    )
    challenges = ChallengeMetSerializer(
        source="challengeencounter_set", many=True, read_only=True, help_text="Challenges met."
    )
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta(CaseStudySerializer.Meta):
        fields = [
            *CaseStudySerializer.Meta.fields,
            "body",
            "outcome_assessment",
            "lessons",
            "countries",
            "participants",
            "mechanisms",
            "challenges",
            "sources",
        ]


class CaseStudyInputSerializer(ModelInputSerializer):
    regions = VisibleSlugRelatedField(Region, many=True, allow_empty=False)
    countries = VisibleSlugRelatedField(
        Actor, many=True, required=False, help_text="Slugs of states where it took place."
    )
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "summary",
            "body",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "regions",
            "countries",
            "outcome",
            "outcome_assessment",
            "lessons",
            "featured",
            "sources",
        ]

    def validate_countries(self, countries):
        if any(actor.kind != Actor.Kind.STATE for actor in countries):
            raise serializers.ValidationError("Countries of operation must be states.")
        return countries


class LinkInputSerializer(ModelInputSerializer):
    case_study = VisibleSlugRelatedField(CaseStudy)
    sources = VisibleSlugRelatedField(Source, many=True, required=False)


class ParticipationInputSerializer(LinkInputSerializer):
    actor = VisibleSlugRelatedField(Actor)

    class Meta:
        model = Participation
        fields = ["case_study", "actor", "role", "contribution", "confidence", "sources"]


class MechanismUseInputSerializer(LinkInputSerializer):
    mechanism = VisibleSlugRelatedField(Mechanism)

    class Meta:
        model = MechanismUse
        fields = ["case_study", "mechanism", "description", "confidence", "sources"]


class ChallengeEncounterInputSerializer(LinkInputSerializer):
    challenge = VisibleSlugRelatedField(Challenge)

    class Meta:
        model = ChallengeEncounter
        fields = ["case_study", "challenge", "manifestation", "response", "confidence", "sources"]


# Filters


class CaseStudyAPIFilterSet(StrictFiltersMixin, CaseStudyFilterSet):
    """The site's filters, plus what API clients need: `search` (the same as `q`), drafts by
    `status` for editors, and `updated_after` to sync incrementally."""

    search = django_filters.CharFilter(
        method="filter_alias",
        max_length=200,
        label="Search text, ranked by relevance (the same as q; q wins if both are given)",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label="Publication status (only editors see drafts, so only they find any)",
    )
    updated_after = updated_after_filter()

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
            },
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("ordering"):
            return queryset.order_by(*queryset.query.order_by, "pk")
        return queryset


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


# Views


def visible_links(model, user):
    return (
        model.objects.visible_to(user)
        .select_related(model.linked_field)
        .prefetch_related("sources")
    )


@extend_schema_view(
    list=extend_schema(
        summary="List case studies",
        description="Filtered with the same facets as the site. Without `ordering`: by "
        "relevance for a search, by title otherwise.",
    ),
    retrieve=extend_schema(
        summary="A case study, with its participants, mechanisms, challenges and sources"
    ),
)
class CaseStudyViewSet(AtlasViewSet):
    model = CaseStudy
    serializer_class = CaseStudyDetailSerializer
    list_serializer_class = CaseStudySerializer
    input_serializer_class = CaseStudyInputSerializer
    filterset_class = CaseStudyAPIFilterSet
    list_dependencies = (Region, Era)
    csv_filename = "case-studies"
    csv_columns = COLUMNS

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # The list shows none of the long texts: about 1.5 kB a row not fetched.
            return queryset.defer(*LIST_DEFERRED).prefetch_related("regions")
        return queryset

    def decorate(self, queryset):
        """The era; for one case study, also everything it embeds. Prefetched here, not in
        get_queryset(), which DRF's permission check builds too, only to learn the model: a
        cached read is answered after that check and needs none of it."""
        queryset = queryset.with_era()
        if self.action == "list":
            return queryset
        user = self.user
        return queryset.prefetch_related(
            "regions",
            Prefetch(
                "countries",
                queryset=self.visible(Actor).filter(kind=Actor.Kind.STATE).order_by("name", "pk"),
            ),
            "sources",
            Prefetch("participation_set", queryset=visible_links(Participation, user)),
            Prefetch("mechanismuse_set", queryset=visible_links(MechanismUse, user)),
            Prefetch("challengeencounter_set", queryset=visible_links(ChallengeEncounter, user)),
        )

    def etag_extra(self, instance):
        return (getattr(instance, "era_slug", None), getattr(instance, "era_name", None))

    def csv_rows(self, queryset):
        """The site's export: its columns, and only the links the user may see."""
        return export_rows(
            queryset.prefetch_related(None), self.user, self.request.build_absolute_uri
        )


class LinkViewSet(AtlasViewSet):
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return visible_links(self.model, self.user).select_related("case_study")

    def csv_row(self, link):
        linked = getattr(link, self.model.linked_field)
        return {
            "id": link.pk,
            "case_study": link.case_study.slug,
            self.model.linked_field: linked.slug,
            **{name: getattr(link, name) for name in self.csv_columns[3:-1]},
            "updated_at": iso(link.updated_at),
        }


@extend_schema_view(
    list=extend_schema(summary="List participations of actors in case studies"),
    retrieve=extend_schema(summary="A participation"),
)
class ParticipationViewSet(LinkViewSet):
    model = Participation
    serializer_class = ParticipationSerializer
    input_serializer_class = ParticipationInputSerializer
    filterset_class = ParticipationFilterSet
    list_dependencies = (CaseStudy, Actor, Source)
    csv_filename = "participations"
    csv_columns = ("id", "case_study", "actor", "role", "confidence", "contribution", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List mechanisms used in case studies"),
    retrieve=extend_schema(summary="A mechanism used in a case study"),
)
class MechanismUseViewSet(LinkViewSet):
    model = MechanismUse
    serializer_class = MechanismUseSerializer
    input_serializer_class = MechanismUseInputSerializer
    filterset_class = MechanismUseFilterSet
    list_dependencies = (CaseStudy, Mechanism, Source)
    csv_filename = "mechanism-uses"
    csv_columns = ("id", "case_study", "mechanism", "confidence", "description", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List challenges met in case studies"),
    retrieve=extend_schema(summary="A challenge met in a case study"),
)
class ChallengeEncounterViewSet(LinkViewSet):
    model = ChallengeEncounter
    serializer_class = ChallengeEncounterSerializer
    input_serializer_class = ChallengeEncounterInputSerializer
    filterset_class = ChallengeEncounterFilterSet
    list_dependencies = (CaseStudy, Challenge, Source)
    csv_filename = "challenge-encounters"
    csv_columns = (
        "id",
        "case_study",
        "challenge",
        "confidence",
        "manifestation",
        "response",
        "updated_at",
    )
