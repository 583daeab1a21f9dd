"""The REST API (Django REST framework) and its OpenAPI schema (drf-spectacular)."""

from cooperation.limits import API_PAGE_SIZE
from cooperation.project.environment import env_str
from cooperation.project.settings.security import TRUSTED_PROXY_COUNT

# The REST API at /api/v1/ (cooperation/api_urls.py). Reads are public, writes need Django model
# permissions; throttle rates are set here only, and tests override them through this setting.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cooperation.api.permissions.DenyAll"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cooperation.api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "cooperation.api.throttling.AnonRateThrottle",
        "cooperation.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "token": env_str("API_THROTTLE_TOKEN", "10/minute"),
        # Site pages, per client address (cooperation.project.request_limits).
        "site": env_str("SITE_THROTTLE", "300/minute"),
    },
    "EXCEPTION_HANDLER": "cooperation.api.errors.exception_handler",
    # Throttles tell clients apart by the address the trusted proxies saw (see TRUSTED_PROXY_COUNT)
    # rather than a client-supplied X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "cooperation.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}


SPECTACULAR_SETTINGS = {
    "TITLE": "Counterterrorism Cooperation Atlas API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No "valid" badge: it would send the schema's address to an outside validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "cooperation.models.Actor.Kind",
        "SourceKindEnum": "cooperation.models.Source.Kind",
        "MembershipRoleEnum": "cooperation.models.Membership.Role",
        "ParticipationRoleEnum": "casestudies.models.Participation.Role",
        "MechanismCategoryEnum": "cooperation.models.Mechanism.Category",
        "ChallengeCategoryEnum": "cooperation.models.Challenge.Category",
        "DatePrecisionEnum": "cooperation.models.DatePrecision",
    },
}
