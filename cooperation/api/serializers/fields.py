"""Fields the output serializers share: an entry's API URL, its page on the site, links to filtered
lists, and references that hide drafts."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.limits import SLUG


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
        if obj.pk in (None, "") or not SLUG.fullmatch(value):
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
    """The absolute URL of a page on the public site, from its path: an entry's page with
    `source="get_absolute_url"`, or a path the data carries (the statistics' links)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None and value else value


SiteURLField = extend_schema_field(OpenApiTypes.URI)(SiteURLField)


ENTRY_FIELDS = ["version", "created_at", "updated_at"]


PUBLISHABLE_FIELDS = ["status", "published_at", *ENTRY_FIELDS]
