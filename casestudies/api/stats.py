"""The insight pages' aggregates as API endpoints, to be mounted under /api/v1/stats/: timeline,
network, eras, regions, mechanisms, matrix and outcomes-by-mechanism. Each takes the site's case
study filters (the same query string as /case-studies/), counts only what the caller may see, and
runs a fixed number of queries. A filter value that is not understood is refused (400) rather
than ignored, as the rest of the API does."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.views import APIView

from casestudies.filters import CaseStudyFilterSet
from casestudies.insight.network import network
from casestudies.insight.statistics import eras, matrix, mechanisms, outcomes_by_mechanism, regions
from casestudies.insight.timeline import timeline
from casestudies.models import CaseStudy
from cooperation.api.read_cache import PublicReadCacheMixin
from cooperation.api.releases import RELEASE_PARAMETER, ReleasePinnedMixin
from cooperation.api.serializers.fields import SiteURLField
from cooperation.models import Actor


def _list(name, description, enum=None):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", **({"enum": enum} if enum else {})}},
        description=description + " Repeat the parameter for several; any of them matches.",
        explode=True,
    )


FILTER_PARAMETERS = [
    OpenApiParameter("q", {"type": "string", "maxLength": 200}, description="Search text."),
    _list("region", "Region slug."),
    _list("era", "Era slug: case studies that began in it."),
    _list("outcome", "Outcome.", CaseStudy.Outcome.values),
    _list("mechanism", "Mechanism slug."),
    _list("challenge", "Challenge slug."),
    _list("actor", "Actor slug."),
    _list("actor_kind", "Kind of a taking-part actor.", Actor.Kind.values),
    OpenApiParameter(
        "year_from",
        {"type": "integer", "minimum": 1900, "maximum": 2100},
        description="Still running in or after this year.",
    ),
    OpenApiParameter(
        "year_to",
        {"type": "integer", "minimum": 1900, "maximum": 2100},
        description="Begun by the end of this year.",
    ),
]


# The API's one error shape (the "Error" component of cooperation.api.schema, which every
# failing status answers with); named by reference so that this module needs only DRF.
ERROR = {"$ref": "#/components/schemas/Error"}


ERROR_RESPONSES = {
    400: OpenApiResponse(ERROR, "A filter value was not understood; `fields` names it."),
    401: OpenApiResponse(ERROR, "Credentials were sent but are not valid."),
    429: OpenApiResponse(ERROR, "Too many requests; wait as long as `Retry-After` says."),
}


class TallySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    case_studies = serializers.IntegerField(source="count")
    url = SiteURLField(help_text="The record's page on the site.")


class EraCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Case studies in the selection.")
    outside_eras = serializers.IntegerField(
        source="others", help_text="Case studies that began outside every era."
    )
    results = TallySerializer(source="rows", many=True)


class RegionCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Case studies in the selection.")
    results = TallySerializer(
        source="rows", many=True, help_text="Every region, most case studies first."
    )


class MechanismCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Case studies in the selection.")
    not_shown = serializers.IntegerField(
        source="others", help_text="Mechanisms used in the selection but less than those listed."
    )
    results = TallySerializer(source="rows", many=True)


class MatrixCellSerializer(serializers.Serializer):
    mechanism = serializers.CharField(help_text="Mechanism slug.")
    challenge = serializers.CharField(help_text="Challenge slug.")
    case_studies = serializers.IntegerField()


class MechanismChallengeMatrixSerializer(serializers.Serializer):
    mechanisms = TallySerializer(many=True, help_text="The most used mechanisms (rows).")
    challenges = TallySerializer(many=True, help_text="The most met challenges (columns).")
    cells = serializers.SerializerMethodField()
    mechanisms_total = serializers.IntegerField(help_text="Mechanisms used in the selection.")
    challenges_total = serializers.IntegerField(help_text="Challenges met in the selection.")

    @extend_schema_field(MatrixCellSerializer(many=True))
    def get_cells(self, matrix):
        return [
            {"mechanism": mechanism.slug, "challenge": challenge.slug, "case_studies": count}
            for mechanism, counts in matrix.rows()
            for challenge, count in zip(matrix.challenges, counts, strict=True)
        ]


class MechanismOutcomesSerializer(serializers.Serializer):
    mechanism = TallySerializer()
    outcomes = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {value: {"type": "integer"} for value in CaseStudy.Outcome.values},
        }
    )
    def get_outcomes(self, row):
        return {value: count for value, _, count in row.outcomes}


class OutcomesByMechanismSerializer(serializers.Serializer):
    results = MechanismOutcomesSerializer(source="rows", many=True)
    not_shown = serializers.IntegerField(
        source="others", help_text="Mechanisms used in the selection but less than those listed."
    )


class EraSpanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class TimelineBarSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = SiteURLField()
    start_date = serializers.DateField(source="start")
    end_date = serializers.DateField(source="end", allow_null=True)
    era = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    outcome = serializers.CharField()

    def get_era(self, bar) -> str | None:
        return bar.era[0] or None

    def get_regions(self, bar) -> list[str]:
        return [slug for slug, _ in bar.regions]


class TimelineSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Case studies in the selection.")
    limit = serializers.IntegerField(help_text="At most this many case studies are listed.")
    not_drawn = serializers.IntegerField(help_text="Case studies of the selection not listed.")
    eras = EraSpanSerializer(many=True)
    case_studies = TimelineBarSerializer(
        source="bars", many=True, help_text="The most recent by start date, oldest first."
    )


class NetworkNodeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    case_studies = serializers.IntegerField()
    url = SiteURLField()


class NetworkLinkSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Actor slug.")
    target = serializers.CharField(help_text="Actor slug.")
    case_studies = serializers.IntegerField(
        help_text="Case studies in which both stand on the same side (cooperation), or in which "
        "one is the other's adversary (conflict)."
    )
    membership = serializers.BooleanField(help_text="Whether one is a member of the other.")
    relation = serializers.ChoiceField(
        choices=["cooperation", "conflict"],
        help_text="`cooperation`, or `conflict`: one is the other's adversary, never cooperation.",
    )


class CooperationNetworkSerializer(serializers.Serializer):
    total_actors = serializers.IntegerField(help_text="Actors taking part in the selection.")
    limit = serializers.IntegerField(help_text="At most this many actors are listed.")
    not_drawn = serializers.IntegerField(help_text="Actors of the selection not listed.")
    nodes = NetworkNodeSerializer(many=True, help_text="Most case studies first.")
    links = NetworkLinkSerializer(many=True, help_text="Between listed actors, strongest first.")


class StatsView(ReleasePinnedMixin, PublicReadCacheMixin, APIView):
    """An aggregate of the case studies the site's filters select (of a release, with
    `?release=`)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = None
    aggregate = None
    query_parameters = (*CaseStudyFilterSet.base_filters, RELEASE_PARAMETER)

    def selection(self, request):
        filterset = CaseStudyFilterSet(
            request.query_params,
            queryset=CaseStudy.objects.visible_to(request.user),
            request=request,
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def get(self, request, *args, **kwargs):
        result = type(self).aggregate(self.selection(request), request.user)
        return Response(self.serializer_class(result, context={"request": request}).data)


def stats_schema(summary, serializer):
    return extend_schema(
        summary=summary,
        parameters=FILTER_PARAMETERS,
        responses={200: serializer, **ERROR_RESPONSES},
        tags=["stats"],
    )


@stats_schema("Case studies on a timeline", TimelineSerializer)
class TimelineStatsView(StatsView):
    """The most recent case studies of the selection by start date (at most `limit`, oldest
    first) with their dates, era, regions and outcome; and the eras."""

    serializer_class = TimelineSerializer
    aggregate = timeline


@stats_schema("The cooperation network", CooperationNetworkSerializer)
class NetworkStatsView(StatsView):
    """The actors taking part in the most case studies of the selection (at most `limit`), and
    the links between them: the case studies they share, and whether one is a member of the
    other."""

    serializer_class = CooperationNetworkSerializer
    aggregate = network


@stats_schema("Case studies per era", EraCountsSerializer)
class EraStatsView(StatsView):
    """How many case studies of the selection began in each era, oldest era first."""

    serializer_class = EraCountsSerializer
    aggregate = eras


@stats_schema("Case studies per region", RegionCountsSerializer)
class RegionStatsView(StatsView):
    """How many case studies of the selection took place in each region (a case study in
    several regions counts in each), most first."""

    serializer_class = RegionCountsSerializer
    aggregate = regions


@stats_schema("Mechanisms by frequency", MechanismCountsSerializer)
class MechanismStatsView(StatsView):
    """The mechanisms used by the most case studies of the selection, most first."""

    serializer_class = MechanismCountsSerializer
    aggregate = mechanisms


@stats_schema("Mechanisms by challenges", MechanismChallengeMatrixSerializer)
class MatrixStatsView(StatsView):
    """For the most used mechanisms and the most met challenges of the selection, how many
    case studies used each mechanism and met each challenge."""

    serializer_class = MechanismChallengeMatrixSerializer
    aggregate = matrix


@stats_schema("Outcomes by mechanism", OutcomesByMechanismSerializer)
class OutcomesByMechanismStatsView(StatsView):
    """For the most used mechanisms of the selection, how many of the case studies that used
    each ended in each outcome."""

    serializer_class = OutcomesByMechanismSerializer
    aggregate = outcomes_by_mechanism


class StatsRootSerializer(serializers.Serializer):
    timeline = serializers.URLField()
    network = serializers.URLField()
    eras = serializers.URLField()
    regions = serializers.URLField()
    mechanisms = serializers.URLField()
    matrix = serializers.URLField()
    outcomes_by_mechanism = serializers.URLField(source="outcomes-by-mechanism")


STATS_VIEWS = [
    "timeline",
    "network",
    "eras",
    "regions",
    "mechanisms",
    "matrix",
    "outcomes-by-mechanism",
]


@extend_schema(
    summary="The statistics endpoints",
    responses={200: StatsRootSerializer, 429: ERROR_RESPONSES[429]},
    tags=["stats"],
)
class StatsRootView(APIView):
    """One link per statistics endpoint; each takes the case-study list's filters."""

    permission_classes = [permissions.AllowAny]
    query_parameters = ()

    def get(self, request, *args, **kwargs):
        links = {name: drf_reverse(f"api:stats-{name}", request=request) for name in STATS_VIEWS}
        return Response(StatsRootSerializer(links).data)


# To be included under the API's stats/ prefix, e.g. path("stats/", include(urlpatterns)).
urlpatterns = [
    path("", StatsRootView.as_view(), name="stats-root"),
    path("timeline/", TimelineStatsView.as_view(), name="stats-timeline"),
    path("network/", NetworkStatsView.as_view(), name="stats-network"),
    path("eras/", EraStatsView.as_view(), name="stats-eras"),
    path("regions/", RegionStatsView.as_view(), name="stats-regions"),
    path("mechanisms/", MechanismStatsView.as_view(), name="stats-mechanisms"),
    path("matrix/", MatrixStatsView.as_view(), name="stats-matrix"),
    path(
        "outcomes-by-mechanism/",
        OutcomesByMechanismStatsView.as_view(),
        name="stats-outcomes-by-mechanism",
    ),
]
