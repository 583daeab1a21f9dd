"""Errors: one JSON shape for every 4xx and 5xx the API answers."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from cooperation.models import StaleEntryError

logger = logging.getLogger(__name__)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The entry was changed since you read it; fetch it again and reapply."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you last read, so no one's change is lost."
    default_code = "precondition_required"


class ContentTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The form's fields other than files are larger than this API accepts."
    default_code = "request_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with other records."
    default_code = "conflict"


class Gone(exceptions.APIException):
    """An entry that was public and was withdrawn: when, why, and the last release holding it."""

    status_code = status.HTTP_410_GONE
    default_detail = "This entry was withdrawn."
    default_code = "gone"

    def __init__(self, detail, withdrawal):
        super().__init__(detail)
        self.withdrawal = withdrawal


def error_body(status_code, code, message, fields=None, withdrawal=None):
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    if withdrawal:
        error["withdrawal"] = withdrawal
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
    if isinstance(exc, RequestDataTooBig):  # a multipart body's fields, found while parsing
        return ContentTooLarge()
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
        response.data = error_body(
            response.status_code, code, str(detail), withdrawal=getattr(exc, "withdrawal", None)
        )
    return response


@csrf_exempt  # whatever the method, the answer is the same 404 (not a CSRF page)
def api_not_found(request, *args, **kwargs):
    """Every other URL under /api/v1/: the API's 404, in the API's shape."""
    return JsonResponse(error_body(404, "not_found", "No API resource here."), status=404)
