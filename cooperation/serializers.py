"""API representations of the core domain. Output serializers show an entry with hyperlinks and
slugs for every related record (only those the requesting user may see); input serializers take
related records by slug and validate as the admin does."""

import re

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation import references
from cooperation.api_support import (
    ModelInputSerializer,
    VisibleSlugRelatedField,
    optional_url_field,
    visible_to_request,
)
from cooperation.models import Actor, Challenge, Era, Mechanism, Membership, Region, Source, Topic
from cooperation.rendering import render_markdown

# URLs

# Lookup values that reverse() puts into a URL unchanged.
PLAIN_LOOKUP_VALUE = re.compile(r"[-a-zA-Z0-9_]+")


class EntryURLField(serializers.HyperlinkedIdentityField):
    """An entry's URL in this API, as HyperlinkedIdentityField gives it, for less: the route is
    reversed once per serializer and each entry's slug or id is put in place of a marker, where
    a list page would otherwise walk the URL resolver once per entry and per nested record."""

    marker = "999999999999999999"  # a lookup value that both the slug and the id patterns accept

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {}

    def get_url(self, obj, view_name, request, format):
        value = str(getattr(obj, self.lookup_field, ""))
        if obj.pk in (None, "") or not PLAIN_LOOKUP_VALUE.fullmatch(value):
            return super().get_url(obj, view_name, request, format)
        key = (view_name, request, format)
        if key not in self.templates:
            self.templates[key] = self.reverse(
                view_name,
                kwargs={self.lookup_url_kwarg: self.marker},
                request=request,
                format=format,
            )
        return self.templates[key].replace(self.marker, value, 1)


# References: how one record names another


class ActorRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:actor-detail", lookup_field="slug")

    class Meta:
        model = Actor
        fields = ["url", "slug", "name", "short_name", "kind"]


class MechanismRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:mechanism-detail", lookup_field="slug")

    class Meta:
        model = Mechanism
        fields = ["url", "slug", "name", "category"]


class ChallengeRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:challenge-detail", lookup_field="slug")

    class Meta:
        model = Challenge
        fields = ["url", "slug", "name", "category"]


class RegionRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:region-detail", lookup_field="slug")

    class Meta:
        model = Region
        fields = ["url", "slug", "name"]


class EraRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:era-detail", lookup_field="slug")

    class Meta:
        model = Era
        fields = ["url", "slug", "name"]


class SourceRefSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:source-detail", lookup_field="slug")

    class Meta:
        model = Source
        fields = ["url", "slug", "title"]


class VisibleMechanismRefField(serializers.Field):
    """A foreign key to a mechanism that may be a draft: null unless the user may see it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source)

    def to_representation(self, value):
        if not visible_to_request(value, self.context.get("request")):
            return None
        return MechanismRefSerializer(value, context=self.context).data


VisibleMechanismRefField = extend_schema_field(MechanismRefSerializer(allow_null=True))(
    VisibleMechanismRefField
)


class FilteredListLinkField(serializers.Field):
    """A hyperlink to another list endpoint filtered to this entry, e.g. its case studies."""

    def __init__(self, view_name, filter_name, **kwargs):
        self.view_name, self.filter_name = view_name, filter_name
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        url = f"{reverse(self.view_name)}?{self.filter_name}={value.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


FilteredListLinkField = extend_schema_field(OpenApiTypes.URI)(FilteredListLinkField)


class SiteURLField(serializers.Field):
    """The entry's page on the public site."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        url = value.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


SiteURLField = extend_schema_field(OpenApiTypes.URI)(SiteURLField)

ENTRY_FIELDS = ["version", "created_at", "updated_at"]
PUBLISHABLE_FIELDS = ["status", "published_at", *ENTRY_FIELDS]


# Actors and memberships


class ActorSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:actor-detail", lookup_field="slug")
    site_url = SiteURLField()
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


# Mechanisms and challenges


class MechanismSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:mechanism-detail", lookup_field="slug")
    site_url = SiteURLField()
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
    site_url = SiteURLField()

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


# Topics


class ReferencedRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind named in the reference, e.g. case-study.")
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="The record's current title or name.")
    url = serializers.URLField(help_text="The record in this API.")
    site_url = serializers.URLField(help_text="The record's page on the site.")


class TopicListSerializer(serializers.ListSerializer):
    """Resolves the references of every topic on the page at once: one query per kind."""

    def to_representation(self, data):
        topics = list(data.all() if hasattr(data, "all") else data)
        found = [reference for topic in topics for reference in references.parse(topic.body)]
        request = self.context.get("request")
        self._context["reference_records"] = references.resolve_visible(
            found, getattr(request, "user", None)
        )
        return super().to_representation(topics)


class TopicSerializer(serializers.ModelSerializer):
    """A topic with its Markdown, the HTML a reader sees (references to records the requester
    may see become links, the rest plain words) and the records it refers to."""

    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    site_url = SiteURLField()
    body_html = serializers.SerializerMethodField(
        help_text="The body rendered and sanitised; links to records are relative to the site."
    )
    referenced_records = serializers.SerializerMethodField(
        help_text="The records the body refers to that you may see, in order of first mention."
    )
    sources = SourceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        list_serializer_class = TopicListSerializer
        fields = [
            "url",
            "site_url",
            "slug",
            "title",
            "nav_order",
            "summary",
            "body",
            "body_html",
            "referenced_records",
            "sources",
            *PUBLISHABLE_FIELDS,
        ]

    def _records(self, topic):
        records = self.context.get("reference_records")
        if records is None:  # a single topic
            request = self.context.get("request")
            records = references.resolve_visible(
                references.parse(topic.body), getattr(request, "user", None)
            )
            self._context["reference_records"] = records
        return records

    def get_body_html(self, topic) -> str:
        return str(render_markdown(topic.body, self._records(topic)))

    @extend_schema_field(ReferencedRecordSerializer(many=True))
    def get_referenced_records(self, topic):
        request = self.context.get("request")
        records = self._records(topic)
        listed = []
        for kind, entries in references.grouped(references.parse(topic.body), records):
            for record in entries:
                api_url = reverse(f"api:{kind.model._meta.model_name}-detail", args=[record.slug])
                site_url = record.get_absolute_url()
                if request is not None:
                    api_url = request.build_absolute_uri(api_url)
                    site_url = request.build_absolute_uri(site_url)
                listed.append(
                    {
                        "kind": kind.key,
                        "slug": record.slug,
                        "title": str(record),
                        "url": api_url,
                        "site_url": site_url,
                    }
                )
        return listed


class TopicInputSerializer(ModelInputSerializer):
    sources = VisibleSlugRelatedField(Source, many=True, required=False)

    class Meta:
        model = Topic
        fields = ["slug", "title", "nav_order", "summary", "body", "sources"]


# Reference data: regions, eras, sources


class RegionSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:region-detail", lookup_field="slug")
    site_url = SiteURLField()
    actors = FilteredListLinkField("api:actor-list", "region", help_text="Actors based here.")
    case_studies = FilteredListLinkField(
        "api:casestudy-list", "region", help_text="Case studies set here."
    )

    class Meta:
        model = Region
        fields = ["url", "site_url", "slug", "name", "summary", "actors", "case_studies"]
        fields += ENTRY_FIELDS


class RegionInputSerializer(ModelInputSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name", "summary"]


class EraSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:era-detail", lookup_field="slug")
    site_url = SiteURLField()
    case_studies = FilteredListLinkField(
        "api:casestudy-list", "era", help_text="Case studies that began in this era."
    )

    class Meta:
        model = Era
        fields = [
            "url",
            "site_url",
            "slug",
            "name",
            "start_date",
            "end_date",
            "summary",
            "case_studies",
            *ENTRY_FIELDS,
        ]


class EraInputSerializer(ModelInputSerializer):
    class Meta:
        model = Era
        fields = ["slug", "name", "start_date", "end_date", "summary"]


class SourceSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:source-detail", lookup_field="slug")
    site_url = SiteURLField()
    link = optional_url_field(500, source="url", read_only=True, help_text="Where to read it.")

    class Meta:
        model = Source
        fields = [
            "url",
            "site_url",
            "slug",
            "title",
            "author",
            "publisher",
            "link",
            "published_on",
            "accessed_on",
            "kind",
            *ENTRY_FIELDS,
        ]


class SourceInputSerializer(ModelInputSerializer):
    link = serializers.URLField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Where to read it.",
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "title",
            "author",
            "publisher",
            "link",
            "published_on",
            "accessed_on",
            "kind",
        ]
