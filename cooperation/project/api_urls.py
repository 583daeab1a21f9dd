"""The REST API, version 1, under /api/v1/ (namespace "api"): a browsable root, one resource per
kind of record, token sign-in, the OpenAPI schema and its interactive docs (served from local
assets). Every other path here answers with the API's JSON 404."""

from django.contrib.auth.signals import user_logged_in
from django.urls import include, path, re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, parsers, permissions, routers, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.reverse import reverse as drf_reverse

from casestudies.api.viewsets import (
    CaseStudyViewSet,
    ChallengeEncounterViewSet,
    MechanismUseViewSet,
    ParticipationViewSet,
)
from cooperation.api.errors import api_not_found
from cooperation.api.formats import JSONParser
from cooperation.api.schema import DESCRIPTION, ErrorSerializer
from cooperation.api.throttling import ScopedRateThrottle
from cooperation.api.viewsets.actors import ActorViewSet, MembershipViewSet
from cooperation.api.viewsets.mechanisms import ChallengeViewSet, MechanismViewSet
from cooperation.api.viewsets.reference import EraViewSet, RegionViewSet, SourceViewSet
from cooperation.api.viewsets.releases import ReleaseViewSet, WithdrawalViewSet
from cooperation.api.viewsets.topics import TopicViewSet
from cooperation.editorial.accounts import SignInLockedOut

app_name = "api"


class APIRootView(routers.APIRootView):
    """The Counterterrorism Cooperation Atlas API: one link per resource, and the statistics.
    The schema is at /api/v1/schema/ and interactive documentation at /api/v1/docs/."""

    permission_classes = [permissions.AllowAny]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["stats"] = drf_reverse("api:stats-root", request=request)
        return response


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


@extend_schema_view(
    post=extend_schema(
        summary="Get your API token",
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, "Wrong username or password, or none."),
            415: OpenApiResponse(ErrorSerializer, "The body is not JSON or a form."),
            429: OpenApiResponse(ErrorSerializer, "Too many attempts; wait."),
        },
        auth=[],
    )
)
class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for the API token to send as `Authorization: Token
    <key>`. Rate-limited by the `token` throttle rate; after repeated wrong passwords for one
    username from one address, that pair is locked out for a while (429)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.ValidationError:
            # django-axes refused to check the password and flagged this (DRF) request.
            if getattr(request, "axes_locked_out", False):
                raise SignInLockedOut() from None
            raise
        user = serializer.validated_data["user"]
        # A sign-in, as at the admin's door: django-axes forgets the failures before it, and the
        # user's last_login moves.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


router = Router()


router.register("actors", ActorViewSet, basename="actor")


router.register("memberships", MembershipViewSet, basename="membership")


router.register("mechanisms", MechanismViewSet, basename="mechanism")


router.register("challenges", ChallengeViewSet, basename="challenge")


router.register("case-studies", CaseStudyViewSet, basename="casestudy")


router.register("participations", ParticipationViewSet, basename="participation")


router.register("mechanism-uses", MechanismUseViewSet, basename="mechanismuse")


router.register(
    "challenge-encounters",
    ChallengeEncounterViewSet,
    basename="challengeencounter",
)


router.register("topics", TopicViewSet, basename="topic")


router.register("sources", SourceViewSet, basename="source")


router.register("regions", RegionViewSet, basename="region")


router.register("eras", EraViewSet, basename="era")


router.register("releases", ReleaseViewSet, basename="release")


router.register("withdrawals", WithdrawalViewSet, basename="withdrawal")


urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path(
        "schema/",
        SpectacularAPIView.as_view(custom_settings={"DESCRIPTION": DESCRIPTION}),
        name="schema",
    ),
    # The page's script is served from the same URL (?script=), so the CSP needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="drf_spectacular/swagger_ui_atlas.html"
        ),
        name="docs",
    ),
    *router.urls,
    path("stats/", include("casestudies.api.stats")),
    re_path(r"^[\s\S]*/$", api_not_found),
]
