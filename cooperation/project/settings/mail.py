"""Mail: the workflow's notifications (cooperation.editorial.notifications)."""

from cooperation.project.environment import env_bool, env_int, env_str
from cooperation.project.settings.core import DEBUG

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
