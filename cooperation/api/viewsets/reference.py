"""The regions, eras and sources resources."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation.api.filters import EraFilterSet, RegionFilterSet, SourceFilterSet
from cooperation.api.serializers.reference import (
    EraInputSerializer,
    EraSerializer,
    RegionInputSerializer,
    RegionSerializer,
    SourceInputSerializer,
    SourceSerializer,
)
from cooperation.api.viewsets.base import AtlasViewSet
from cooperation.models import Era, Region, Source


@extend_schema_view(
    list=extend_schema(summary="List regions"), retrieve=extend_schema(summary="A region")
)
class RegionViewSet(AtlasViewSet):
    model = Region
    serializer_class = RegionSerializer
    input_serializer_class = RegionInputSerializer
    filterset_class = RegionFilterSet
    csv_filename = "regions"
    csv_fields = ("slug", "name", "summary", "site_url", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List eras"), retrieve=extend_schema(summary="An era")
)
class EraViewSet(AtlasViewSet):
    model = Era
    serializer_class = EraSerializer
    input_serializer_class = EraInputSerializer
    filterset_class = EraFilterSet
    csv_filename = "eras"
    csv_fields = ("slug", "name", "start_date", "end_date", "summary", "site_url", "updated_at")


@extend_schema_view(
    list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="A source")
)
class SourceViewSet(AtlasViewSet):
    model = Source
    serializer_class = SourceSerializer
    input_serializer_class = SourceInputSerializer
    filterset_class = SourceFilterSet
    csv_filename = "sources"
    csv_fields = (
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
