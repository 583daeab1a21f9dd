"""Limits on what one client may ask of the site.

Bodies too large to read are refused before anything reads them: 413 Content Too Large, in the
API's one JSON error shape or as a short page. Django itself would stop reading at
DATA_UPLOAD_MAX_MEMORY_SIZE by raising an error that the API turned into a 500 and the admin
into a bare 400.

Site pages are rate-limited per client address (the API has its own throttles): over the rate,
429 Too Many Requests with Retry-After."""

import math

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from cooperation.api.errors import error_body
from cooperation.api.throttling import SitePageThrottle
from cooperation.limits import REQUEST_BODY_MAX_BYTES, UPLOAD_MAX_BYTES

API_PREFIX = "/api/"
# Room for the multipart envelope and the form's other fields around an import file.
MULTIPART_ROOM = 64 * 1024


def body_limit(request):
    if request.content_type == "multipart/form-data":
        return UPLOAD_MAX_BYTES + MULTIPART_ROOM
    return REQUEST_BODY_MAX_BYTES


def megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"


def too_large(request, size, limit):
    if size:
        given = f"The request body is {megabytes(size)} ({size:,} bytes)"
    else:
        given = "The form's fields other than files are too large"
    message = f"{given}; the most accepted here is {megabytes(limit)}."
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(413, "request_too_large", message), status=413)
    html = render_to_string("413.html", {"message": message})
    return HttpResponse(html, status=413, content_type="text/html; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Answers 413 to a body whose declared length is over the limit, and to a multipart body
    within it whose fields other than files are over Django's limit (found only by parsing it,
    done here rather than in the CSRF check, which would answer a bare 400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django reads an unparsable length as no body
        limit = body_limit(request)
        if size > limit:
            return too_large(request, size, limit)
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not request.path.startswith(API_PREFIX)  # the API's parsers answer for it
        ):
            try:
                request.POST  # noqa: B018 - parsed now, and kept for the view
            except RequestDataTooBig:
                return too_large(request, 0, REQUEST_BODY_MAX_BYTES)
        return self.get_response(request)


class SiteRateLimitMiddleware:
    """Answers 429 with Retry-After to a client address asking for more site pages than the
    "site" rate allows (SITE_THROTTLE; empty turns it off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        throttle = SitePageThrottle()
        if throttle.allow_request(request, None):
            return self.get_response(request)
        wait = max(1, math.ceil(throttle.wait() or 1))
        html = render_to_string("429.html", {"wait": wait})
        response = HttpResponse(html, status=429, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(wait)
        response["Cache-Control"] = "no-store"
        return response
