"""Actors and memberships in the API."""

from rest_framework import serializers

from cooperation.api.serializers.fields import (
    ENTRY_FIELDS,
    PUBLISHABLE_FIELDS,
    EntryURLField,
    FilteredListLinkField,
    SiteURLField,
)
from cooperation.api.serializers.inputs import (
    ModelInputSerializer,
    VisibleSlugRelatedField,
    optional_url_field,
)
from cooperation.api.serializers.refs import (
    ActorRefSerializer,
    RegionRefSerializer,
    SourceRefSerializer,
)
from cooperation.models import Actor, Membership, Region, Source


class ActorSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:actor-detail", lookup_field="slug")
    site_url = SiteURLField(source="get_absolute_url")
    region = RegionRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "url",
            "site_url",
            "slug",
            "name",
            "short_name",
            "kind",
            "country_code",
            "region",
            "founded",
            "dissolved",
            "summary",
            *PUBLISHABLE_FIELDS,
        ]


class ActorMembershipSerializer(serializers.ModelSerializer):
    """A membership seen from the member: the organisation it belongs to."""

    url = EntryURLField(view_name="api:membership-detail")
    organisation = ActorRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["url", "id", "organisation", "role", "start_date", "end_date"]


class ActorMemberSerializer(serializers.ModelSerializer):
    """A membership seen from the organisation: the member."""

    url = EntryURLField(view_name="api:membership-detail")
    member = ActorRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["url", "id", "member", "role", "start_date", "end_date"]


class ActorDetailSerializer(ActorSerializer):
    website = optional_url_field(300, read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)
    memberships = ActorMembershipSerializer(
        many=True, read_only=True, help_text="The organisations this actor belongs to."
    )
    members = ActorMemberSerializer(
        many=True, read_only=True, help_text="The actors that belong to this one."
    )
    case_studies = FilteredListLinkField(
        "api:casestudy-list", "actor", help_text="The case studies this actor took part in."
    )

    class Meta(ActorSerializer.Meta):
        fields = [
            *ActorSerializer.Meta.fields,
            "headquarters",
            "website",
            "body",
            "wikidata_qid",
            "cow_code",
            "atop_id",
            "sources",
            "memberships",
            "members",
            "case_studies",
        ]


class ActorInputSerializer(ModelInputSerializer):
    website = optional_url_field(300, required=False)
    region = VisibleSlugRelatedField(Region, allow_null=True, required=False)
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "country_code",
            "region",
            "founded",
            "dissolved",
            "headquarters",
            "website",
            "summary",
            "body",
            "wikidata_qid",
            "cow_code",
            "atop_id",
            "sources",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:membership-detail")
    member = ActorRefSerializer(read_only=True)
    organisation = ActorRefSerializer(read_only=True)
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Membership
        fields = [
            "url",
            "id",
            "member",
            "organisation",
            "role",
            "start_date",
            "end_date",
            "note",
            "sources",
            *ENTRY_FIELDS,
        ]


class MembershipInputSerializer(ModelInputSerializer):
    member = VisibleSlugRelatedField(Actor)
    organisation = VisibleSlugRelatedField(Actor)
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Membership
        fields = ["member", "organisation", "role", "start_date", "end_date", "note", "sources"]
