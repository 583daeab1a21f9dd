"""The API's policies, named by REST_FRAMEWORK in settings: who may do what (reads public,
writes by Django model permission, everything else denied), throttles, pagination, and the one
error shape every 4xx and 5xx answer has. Kept free of DRF's views, which import the settings
that name these."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.core.paginator import Paginator as DjangoPaginator
from django.core.signals import got_request_exception
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, pagination, permissions, status, throttling
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperation.publishing import StaleEntryError

logger = logging.getLogger(__name__)


# Permissions and throttles


class DenyAll(permissions.BasePermission):
    """The default: a view that does not say who may use it serves no one."""

    def has_permission(self, request, view):
        return False


class PublicReadModelPermissions(permissions.DjangoModelPermissions):
    """Anyone may read (what they may see is the queryset's business); adding, changing and
    deleting need the matching Django model permission."""

    authenticated_users_only = False


class RuntimeRateMixin:
    """DRF binds throttle rates when it is imported; read them per request instead, so the one
    setting (and a test overriding it) decides."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RuntimeRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RuntimeRateMixin, throttling.UserRateThrottle):
    """Signed-in users only. DRF's version also counts anonymous clients by address, as the anon
    rate already does: a second count would cost every anonymous request two more cache round
    trips and hold it to a limit other than the one set for it."""

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # DRF lets a request through when its throttle has no key
        return super().get_cache_key(request, view)


class ScopedRateThrottle(RuntimeRateMixin, throttling.ScopedRateThrottle):
    pass


# Pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size`; a page size above the cap gets the cap. The view hands over the
    count it already has, so a page costs one query."""

    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, 1 or more; above 100 gives 100."
    max_page_size = 100
    known_count = None

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return api_settings.PAGE_SIZE
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number of 1 or more."]}
            )
        return min(size, self.max_page_size)

    def check(self, request, count):
        """Refuse a bad page size (400) or page (404) before anything else is answered."""
        paginator = DjangoPaginator(range(count), self.get_page_size(request))
        try:
            paginator.validate_number(self.get_page_number(request, paginator))
        except InvalidPage as error:
            raise exceptions.NotFound(
                self.invalid_page_message.format(page_number="", message=str(error))
            ) from error

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise exceptions.NotFound("Invalid page: name one, or leave page out.")
        return super().get_page_number(request, paginator)

    def paginate_queryset(self, queryset, request, view=None, count=None):
        self.known_count = count
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        paginator = DjangoPaginator(object_list, per_page)
        if self.known_count is not None:
            paginator.count = self.known_count  # Paginator.count is a cached property
        return paginator

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response


# Errors: one shape for every 4xx and 5xx


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The entry was changed since you read it; fetch it again and reapply."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you last read, so no one's change is lost."
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with other records."
    default_code = "conflict"


def error_body(status_code, code, message, fields=None):
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _first_code(codes):
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes or "invalid"


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return exceptions.ValidationError(detail)
    if isinstance(exc, StaleEntryError):
        return PreconditionFailed()
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict("Other records still refer to this entry; remove those references first.")
    if isinstance(exc, IntegrityError):
        return Conflict()
    return exc


def exception_handler(exc, context):
    """DRF's handler, reshaped to {"error": {status, code, message, fields}}; anything else
    becomes a JSON 500 (and is logged and signalled as Django would) instead of an HTML page."""
    exc = _as_api_exception(exc)
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    response = drf_exception_handler(exc, context)
    if response is None and isinstance(exc, OperationalError | InterfaceError):
        return None  # DRF re-raises; cooperation.outage answers 503 and logs one line
    if response is None:
        request = context.get("request")
        logger.error("Unhandled error in the API", exc_info=exc)
        got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        set_rollback()
        return Response(
            error_body(500, "server_error", "Something went wrong on our side."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        names = ", ".join(fields)
        response.data = error_body(
            response.status_code,
            _first_code(exc.get_codes()),
            f"Invalid input: {names}." if names else "Invalid input.",
            fields,
        )
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(response.status_code, code, str(detail))
    return response


@csrf_exempt  # whatever the method, the answer is the same 404 (not a CSRF page)
def api_not_found(request, *args, **kwargs):
    """Every other URL under /api/v1/: the API's 404, in the API's shape."""
    return JsonResponse(error_body(404, "not_found", "No API resource here."), status=404)
