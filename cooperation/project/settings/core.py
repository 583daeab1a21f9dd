"""What the site is: its apps and middleware, templates, database, caches, static files and
language. DEBUG, SECRET_KEY and ALLOWED_HOSTS come first: every other part reads DEBUG."""

import hashlib
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cooperation.limits import REQUEST_BODY_MAX_BYTES
from cooperation.project.environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent


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


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # On PostgreSQL: its lookups, such as the trigram word similarity search uses.
    "django.contrib.postgres",
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
    # Each request that may write is one recording of the entries' history, in one transaction.
    "cooperation.editorial.history.HistoryRecordingMiddleware",
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
        # With DEBUG off, each of gunicorn's threads keeps its connection for a minute (checked
        # before it is used again): opening one per request, statement timeout and all, cut
        # the first visits' rate by a quarter to a half (docs/performance.md, "A connection per
        # thread"). The development server starts a thread per request; there one would linger.
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, and a second writer waits for it
    # (up to `timeout` seconds) instead of failing with "database is locked" halfway through a
    # save; it then finds the entry changed and gets the same conflict message as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)


# Requests pinned to a release read atlas content from its frozen database (cooperation.releases).
DATABASE_ROUTERS = ["cooperation.releases.frozen.ReleaseRouter"]
# Where each app server keeps the releases' databases, built from the main database on first use.
RELEASES_DIR = env_str("RELEASES_DIR", str(BASE_DIR / "var" / "releases"))

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
# The public's facet counts from an in-process index of the published case studies
# (casestudies.facet_index); false counts them in SQL, as for editors (the benchmark compares).
FACET_INDEX = env_bool("FACET_INDEX", True)


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
