"""Mechanisms and challenges in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.serializers.fields import (
    PUBLISHABLE_FIELDS,
    EntryURLField,
    FilteredListLinkField,
    SiteURLField,
)
from cooperation.api.serializers.inputs import ModelInputSerializer, VisibleSlugRelatedField
from cooperation.api.serializers.refs import (
    ChallengeRefSerializer,
    MechanismRefSerializer,
    SourceRefSerializer,
)
from cooperation.models import Challenge, Mechanism, Source, is_visible_to


class VisibleMechanismRefField(serializers.Field):
    """A foreign key to a mechanism that may be a draft: null unless the user may see it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source)

    def to_representation(self, value):
        if not is_visible_to(getattr(self.context.get("request"), "user", None), value):
            return None
        return MechanismRefSerializer(value, context=self.context).data


VisibleMechanismRefField = extend_schema_field(MechanismRefSerializer(allow_null=True))(
    VisibleMechanismRefField
)


class MechanismSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:mechanism-detail", lookup_field="slug")
    site_url = SiteURLField(source="get_absolute_url")
    parent = VisibleMechanismRefField(
        help_text="The broader mechanism this is a component of (null if none or not visible)."
    )

    class Meta:
        model = Mechanism
        fields = [
            "url",
            "site_url",
            "slug",
            "name",
            "category",
            "parent",
            "summary",
            *PUBLISHABLE_FIELDS,
        ]


class MechanismDetailSerializer(MechanismSerializer):
    components = MechanismRefSerializer(many=True, read_only=True)
    mitigates = ChallengeRefSerializer(
        many=True, read_only=True, help_text="Challenges this mechanism mitigates."
    )
    sources = SourceRefSerializer(many=True, read_only=True)
    case_studies = FilteredListLinkField(
        "api:casestudy-list", "mechanism", help_text="The case studies that used it."
    )

    class Meta(MechanismSerializer.Meta):
        fields = [
            *MechanismSerializer.Meta.fields,
            "body",
            "components",
            "mitigates",
            "sources",
            "case_studies",
        ]


class MechanismInputSerializer(ModelInputSerializer):
    parent = VisibleSlugRelatedField(Mechanism, allow_null=True, required=False)
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Mechanism
        fields = ["slug", "name", "category", "parent", "summary", "body", "sources"]


class ChallengeSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:challenge-detail", lookup_field="slug")
    site_url = SiteURLField(source="get_absolute_url")

    class Meta:
        model = Challenge
        fields = ["url", "site_url", "slug", "name", "category", "summary", *PUBLISHABLE_FIELDS]


class ChallengeDetailSerializer(ChallengeSerializer):
    mitigated_by = MechanismRefSerializer(many=True, read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)
    case_studies = FilteredListLinkField(
        "api:casestudy-list", "challenge", help_text="The case studies that met it."
    )

    class Meta(ChallengeSerializer.Meta):
        fields = [
            *ChallengeSerializer.Meta.fields,
            "body",
            "mitigated_by",
            "sources",
            "case_studies",
        ]


class ChallengeInputSerializer(ModelInputSerializer):
    mitigated_by = VisibleSlugRelatedField(Mechanism, many=True, required=False)
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "name",
            "category",
            "summary",
            "body",
            "mitigated_by",
            "sources",
        ]
