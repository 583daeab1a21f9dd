"""What keeps the site and its users safe: HTTPS in production, browser security headers
(Content Security Policy, Permissions-Policy), passwords and the sign-in lockout
(docs/security.md)."""

import base64
import hashlib
from datetime import timedelta

from django.utils.csp import CSP

from cooperation.project.environment import env_bool, env_int
from cooperation.project.settings.core import DEBUG


def csp_hash(source):
    """The CSP source expression that allows exactly this inline text."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


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
