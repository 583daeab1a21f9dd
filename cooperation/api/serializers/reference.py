"""Reference data in the API: regions, eras and sources."""

from rest_framework import serializers

from cooperation.api.serializers.fields import (
    ENTRY_FIELDS,
    EntryURLField,
    FilteredListLinkField,
    SiteURLField,
)
from cooperation.api.serializers.inputs import ModelInputSerializer, optional_url_field
from cooperation.models import Era, Region, Source


class RegionSerializer(serializers.ModelSerializer):
    url = EntryURLField(view_name="api:region-detail", lookup_field="slug")
    site_url = SiteURLField(source="get_absolute_url")
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
    site_url = SiteURLField(source="get_absolute_url")
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
    site_url = SiteURLField(source="get_absolute_url")
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
