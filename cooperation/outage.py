"""A database outage answers 503 Service Unavailable with Retry-After, never a 500 or a traceback.

Wherever the database fails (a view, the session and authentication middleware, the page cache's
content-version query, an API view), the reader gets a short page saying the atlas is briefly
unavailable, and API clients get the API's JSON error. Nothing here touches the database, so the
answer itself cannot fail the same way. Recovery needs nothing from us: a failed connection is
closed at the end of the request and the next one reconnects (CONN_HEALTH_CHECKS replaces a
persistent connection that died meanwhile).

Django turns an exception raised in any middleware or view into a 500 response before an outer
middleware sees it, and DRF turns an API view's exception into its own JSON 500; both announce
the exception with `got_request_exception` while handling it. So the error is noted on the
request there (connected in cooperation.signal_handlers), and this middleware, near the top of
MIDDLEWARE, replaces that 500 on the way out.
"""

import logging
import sys

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from cooperation.api.errors import error_body

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"
MESSAGE = "The atlas is briefly unavailable. Please try again in a few seconds."
TIMEOUT_MESSAGE = (
    "This request took longer than the atlas allows and was stopped. "
    "Narrow it (fewer filters, a shorter search) or try again in a few seconds."
)
ERROR_ATTRIBUTE = "_atlas_database_error"


def note_database_error(sender, request=None, **kwargs):
    """Marks the request whose handling raised a database error (the signal is sent inside the
    `except` block, so the exception is still the one being handled)."""
    error = sys.exception()
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, ERROR_ATTRIBUTE, error)


def timed_out(error):
    """Whether PostgreSQL cancelled the statement (WEB_STATEMENT_TIMEOUT_MS), not an outage."""
    return isinstance(error.__cause__, psycopg.errors.QueryCanceled)


def service_unavailable(request, message=MESSAGE):
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(error_body(503, "service_unavailable", message), status=503)
    else:
        try:
            # No request, so no context processors: rendering cannot query the database.
            html = render_to_string("503.html", {"message": message})
        except Exception:  # e.g. static files not collected; the 503 must still go out
            logger.exception("Could not render 503.html")
            html = f"<!doctype html><title>Service unavailable</title><p>{message}</p>"
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # no proxy or browser should keep the outage
    return response


class DatabaseOutageMiddleware:
    """Answers 503 instead of 500 when the request failed because the database did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # raised past Django's own handling (never, normally)
            return self.outage_response(request, error)
        error = getattr(request, ERROR_ATTRIBUTE, None)
        if error is not None:
            return self.outage_response(request, error)
        return response

    @staticmethod
    def outage_response(request, error):
        # One line per request, no traceback: an outage fails every request the same way.
        logger.error(
            "Database unavailable (%s: %s); answered 503 to %s %s",
            type(error).__name__,
            " ".join(str(error).split()),  # psycopg's messages run over several lines
            request.method,
            request.path,
        )
        return service_unavailable(request, TIMEOUT_MESSAGE if timed_out(error) else MESSAGE)
