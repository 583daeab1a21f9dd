"""The mechanisms and challenges resources."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation.api.filters import ChallengeFilterSet, MechanismFilterSet
from cooperation.api.serializers.mechanisms import (
    ChallengeDetailSerializer,
    ChallengeInputSerializer,
    ChallengeSerializer,
    MechanismDetailSerializer,
    MechanismInputSerializer,
    MechanismSerializer,
)
from cooperation.api.viewsets.base import AtlasViewSet, iso
from cooperation.models import Challenge, Mechanism, is_visible_to


@extend_schema_view(
    list=extend_schema(summary="List mechanisms of cooperation"),
    retrieve=extend_schema(summary="A mechanism, with its components and what it mitigates"),
)
class MechanismViewSet(AtlasViewSet):
    model = Mechanism
    serializer_class = MechanismDetailSerializer
    list_serializer_class = MechanismSerializer
    input_serializer_class = MechanismInputSerializer
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
        parent = mechanism.parent if is_visible_to(self.user, mechanism.parent) else None
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
    serializer_class = ChallengeDetailSerializer
    list_serializer_class = ChallengeSerializer
    input_serializer_class = ChallengeInputSerializer
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
