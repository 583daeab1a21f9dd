"""The actors and memberships resources."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation.api.filters import ActorFilterSet, MembershipFilterSet
from cooperation.api.serializers.actors import (
    ActorDetailSerializer,
    ActorInputSerializer,
    ActorSerializer,
    MembershipInputSerializer,
    MembershipSerializer,
)
from cooperation.api.viewsets.base import ID_PATTERN, AtlasViewSet
from cooperation.api.viewsets.workflow import WorkflowActionsMixin
from cooperation.models import Actor, Membership, Region, Source


@extend_schema_view(
    list=extend_schema(summary="List actors", description="States, alliances, organisations…"),
    retrieve=extend_schema(summary="An actor, with its memberships and sources"),
)
class ActorViewSet(WorkflowActionsMixin, AtlasViewSet):
    model = Actor
    serializer_class = ActorDetailSerializer
    list_serializer_class = ActorSerializer
    input_serializer_class = ActorInputSerializer
    filterset_class = ActorFilterSet
    list_dependencies = (Region,)
    csv_filename = "actors"
    csv_fields = (
        "slug",
        "name",
        "short_name",
        "kind",
        "country_code",
        "region",
        "founded",
        "dissolved",
        "status",
        "wikidata_qid",
        "cow_code",
        "atop_id",
        "summary",
        "site_url",
        "updated_at",
    )

    def get_queryset(self):
        queryset = super().get_queryset().select_related("region")
        if self.action == "list":
            return queryset
        memberships = self.visible(Membership)
        return queryset.prefetch_related(
            "sources",
            Prefetch("memberships", queryset=memberships.select_related("organisation")),
            Prefetch("members", queryset=memberships.select_related("member")),
        )


@extend_schema_view(
    list=extend_schema(summary="List memberships of actors in other actors"),
    retrieve=extend_schema(summary="A membership"),
)
class MembershipViewSet(AtlasViewSet):
    model = Membership
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN
    serializer_class = MembershipSerializer
    input_serializer_class = MembershipInputSerializer
    filterset_class = MembershipFilterSet
    list_dependencies = (Actor, Source)
    csv_filename = "memberships"
    csv_fields = ("id", "member", "organisation", "role", "start_date", "end_date", "updated_at")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("member", "organisation")
            .prefetch_related("sources")
        )
