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
from cooperation.api.viewsets.base import AtlasViewSet
from cooperation.api.viewsets.workflow import WorkflowActionsMixin
from cooperation.models import Challenge, Mechanism


@extend_schema_view(
    list=extend_schema(summary="List mechanisms of cooperation"),
    retrieve=extend_schema(summary="A mechanism, with its components and what it mitigates"),
)
class MechanismViewSet(WorkflowActionsMixin, AtlasViewSet):
    model = Mechanism
    serializer_class = MechanismDetailSerializer
    list_serializer_class = MechanismSerializer
    input_serializer_class = MechanismInputSerializer
    filterset_class = MechanismFilterSet
    list_dependencies = (Mechanism,)
    csv_filename = "mechanisms"
    csv_fields = (
        "slug",
        "name",
        "category",
        "parent",
        "status",
        "summary",
        "site_url",
        "updated_at",
    )

    def get_queryset(self):
        queryset = super().get_queryset().select_related("parent")
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            Prefetch("components", queryset=self.visible(Mechanism)),
            Prefetch("mitigates", queryset=self.visible(Challenge)),
            "sources",
        )


@extend_schema_view(
    list=extend_schema(summary="List challenges to cooperation"),
    retrieve=extend_schema(summary="A challenge, with the mechanisms that mitigate it"),
)
class ChallengeViewSet(WorkflowActionsMixin, AtlasViewSet):
    model = Challenge
    serializer_class = ChallengeDetailSerializer
    list_serializer_class = ChallengeSerializer
    input_serializer_class = ChallengeInputSerializer
    filterset_class = ChallengeFilterSet
    csv_filename = "challenges"
    csv_fields = ("slug", "name", "category", "status", "summary", "site_url", "updated_at")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            Prefetch("mitigated_by", queryset=self.visible(Mechanism)), "sources"
        )
