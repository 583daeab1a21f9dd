"""Settings for the Counterterrorism Cooperation Atlas.

One module, driven by environment variables (see `.env.example`). The defaults are safe for
development: SQLite in the repository root and DEBUG on. Production sets DEBUG=false, a real
SECRET_KEY, ALLOWED_HOSTS and a PostgreSQL DATABASE_URL."""

import base64
import hashlib
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from cooperation.limits import API_PAGE_SIZE, REQUEST_BODY_MAX_BYTES
from cooperation.project.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def csp_hash(source):
    """The CSP source expression that allows exactly this inline text."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


DEBUG = env_bool("DEBUG", True)


_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105


SECRET_KEY = env_str("SECRET_KEY", _DEVELOPMENT_SECRET_KEY if DEBUG else "")


if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])


if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the site's host names (comma-separated) when DEBUG is off."
    )


# HTTPS in production: behind a TLS-terminating proxy that sets X-Forwarded-Proto. Each can be
# turned off by its environment variable (the loopback benchmark serves plain HTTP).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)


SECURE_REFERRER_POLICY = "same-origin"


X_FRAME_OPTIONS = "DENY"


# Content Security Policy, the same in development and production (docs/security.md). Everything
# comes from this site; no inline script anywhere, no eval. Public pages have no inline style
# either: they are cached for anonymous readers, so a per-response nonce could never match. A
# nonce goes into the header only on a page that uses one (never cached): the browsable API's
# code-highlighting <style>, and the admin's stylesheet links. Style attributes are refused
# except these fixed ones that DRF's and django-simple-history's templates write (matched by
# hash, so no other value passes).
THIRD_PARTY_STYLE_ATTRIBUTES = [
    "float: right; margin-right: 10px",  # DRF: the "Filters" button of a browsable list
    "border-top: 0",  # simple-history: the paginator under an entry's history
]


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_HASHES, *map(csp_hash, THIRD_PARTY_STYLE_ATTRIBUTES)],
    "img-src": [CSP.SELF, "data:"],  # the API docs' icons are data: URIs in its stylesheet
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}


# Powerful browser features the atlas never uses, refused for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cooperation",
    "casestudies",
]


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cooperation.project.request_limits.RequestBodyLimitMiddleware",
    # Outside the page cache, so a page served from it gets the headers too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cooperation.project.request_limits.SiteRateLimitMiddleware",
    "cooperation.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cooperation.caching.pages.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]


ROOT_URLCONF = "cooperation.project.urls"

# Where signing in leads when the page asked for is missing or not on this site (Django's own
# default, /accounts/profile/, is not a page here). Staff sign in through the admin.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Workflow mail (cooperation.editorial.notifications): in development printed to the console
# unless EMAIL_HOST names an SMTP server; in production sent by SMTP, to the host's own mail
# server unless EMAIL_HOST names another. Links in it start with SITE_ORIGIN.
SITE_ORIGIN = env_str("SITE_ORIGIN", "http://127.0.0.1:8000").rstrip("/")
_SMTP_HOST = env_str("EMAIL_HOST", "" if DEBUG else "localhost")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _SMTP_HOST,
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }
    if _SMTP_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "atlas@localhost")

# cooperation.project.request_limits answers 413 above this, before Django would stop reading.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES


TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]


WSGI_APPLICATION = "cooperation.project.wsgi.application"


DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, and a second writer waits for it
    # (up to `timeout` seconds) instead of failing with "database is locked" halfway through a
    # save; it then finds the entry changed and gets the same conflict message as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# On PostgreSQL, a web request's statement is cancelled after this long (0: never), well inside
# gunicorn's worker timeout (cooperation/project/gunicorn.py); commands run without a limit.
WEB_STATEMENT_TIMEOUT_MS = env_int("WEB_STATEMENT_TIMEOUT_MS", 10_000)


# Pages and API reads: local memory by default (one process), Redis, shared by every app server,
# when REDIS_URL is set. Rate limits ("throttle") must be counted once for all the workers, or
# each would allow the whole rate: in Redis, or else in files that every worker on this host
# shares (THROTTLE_CACHE_DIR; several hosts need REDIS_URL).
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "cooperation.caching.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        },
        "throttle": {
            "BACKEND": "cooperation.caching.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": "throttle",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str(
                "THROTTLE_CACHE_DIR",
                str(
                    Path(tempfile.gettempdir())
                    / f"atlas-throttle-{hashlib.sha256(bytes(BASE_DIR)).hexdigest()[:12]}"
                ),
            ),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }


# How long an anonymous reader's page or API read (and anyone's facet counts) may be served
# from the cache; any content change invalidates it at once (cooperation.caching). 0 turns
# this caching off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600)


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Sign-in rate limiting (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES (every further try restarts
# the wait); the admin login and the API token endpoint count alike. Attempts are kept in the
# database, so every app server sees them; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)


AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))


AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]


AXES_RESET_ON_SUCCESS = True


AXES_LOCKOUT_CALLABLE = "cooperation.editorial.accounts.lockout_response"


AXES_CLIENT_IP_CALLABLE = "cooperation.editorial.accounts.client_ip"


AXES_USERNAME_CALLABLE = "cooperation.editorial.accounts.attempted_username"


# How many reverse proxies in front of the app append to X-Forwarded-For; the client's address is
# the one they received. 0 (the default): the connection's own address (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


LANGUAGE_CODE = "en-gb"


TIME_ZONE = "UTC"


USE_I18N = True


USE_TZ = True


STATIC_URL = "static/"


STATICFILES_DIRS = [BASE_DIR / "static"]


STATIC_ROOT = Path(env_str("STATIC_ROOT", BASE_DIR / "staticfiles"))


# WhiteNoise serves static files from the app server; in production with hashed, compressed
# names (run collectstatic), so they can be cached for ever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


FIXTURE_DIRS = [BASE_DIR / "fixtures"]


# API
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
