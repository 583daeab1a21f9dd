"""Case studies and their three kinds of claim in the API: output (list, detail, embedded) and
input."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
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
from cooperation.models import Actor, Challenge, Mechanism, Region, Source

LINK_FIELDS = ["confidence", "sources", "locators", "version", "created_at", "updated_at"]


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
    site_url = SiteURLField(source="get_absolute_url")
    era = EraField()
    lifecycle = serializers.ChoiceField(
        choices=CaseStudy.Lifecycle.choices,
        read_only=True,
        help_text="Active or ended, from its dates (not a judgement: see `outcome`).",
    )
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
            "start_latest",
            "end_date",
            "end_precision",
            "end_latest",
            "lifecycle",
            "era",
            "regions",
            "outcome",
            "outcome_as_of",
            "reviewed_on",
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
            "disagreements",
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
            "start_latest",
            "end_date",
            "end_precision",
            "end_latest",
            "regions",
            "countries",
            "outcome",
            "outcome_as_of",
            "outcome_assessment",
            "reviewed_on",
            "disagreements",
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
        fields = [
            "case_study",
            "actor",
            "role",
            "contribution",
            "confidence",
            "sources",
            "locators",
        ]


class MechanismUseInputSerializer(LinkInputSerializer):
    mechanism = VisibleSlugRelatedField(Mechanism)

    class Meta:
        model = MechanismUse
        fields = ["case_study", "mechanism", "description", "confidence", "sources", "locators"]


class ChallengeEncounterInputSerializer(LinkInputSerializer):
    challenge = VisibleSlugRelatedField(Challenge)

    class Meta:
        model = ChallengeEncounter
        fields = [
            "case_study",
            "challenge",
            "manifestation",
            "response",
            "confidence",
            "sources",
            "locators",
        ]
