"""The OpenAPI description of the API (drf-spectacular), made to say what the views really do:
the error shape on every failing status, conditional request headers and their 304/412/428
answers, anonymous reads beside authenticated writes, CSV beside JSON on lists, and the real
types and limits of the shared django-filter filters."""

from django_filters import filters as django_filters
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from cooperation.api.permissions import PublicReadModelPermissions
from cooperation.api.serializers.inputs import SlugListField
from cooperation.api.viewsets.base import AtlasViewSet
from cooperation.api.viewsets.revisions import AcceptedSerializer
from cooperation.editorial.history import CHANGE_NOTE_HEADER, CHANGE_NOTE_MAX_LENGTH
from cooperation.editorial.review import CHANGE_STEPS
from cooperation.editorial.workflow import TRANSITIONS
from cooperation.models import PublishableModel

DESCRIPTION = """
A curated, sourced database of counterterrorism cooperation in military alliances.

**Reading.** Everyone may read published entries; signed-in users with the change permission on a
kind of entry also see its drafts. Lists are paginated (`page`, `page_size` up to 100) and
filtered with the same facets as the site; several values of one filter mean any of them
(`?region=europe&region=worldwide`). `updated_after` (ISO 8601) returns what changed since a
sync. Add `format=csv` to a list for a streamed CSV export of the whole filtered result.

**Caching.** Every list and detail carries an `ETag` and, when it has entries, `Last-Modified`.
Send them back as `If-None-Match` / `If-Modified-Since` to get `304 Not Modified`.

**Writing.** Authenticate with a token (`POST /api/v1/auth/token/`, then
`Authorization: Token <key>`) or a session. Writes need the matching Django model permission
(add, change, delete). Updates and deletions **must** send `If-Match` with the ETag of the entry as
last read: without it the answer is `428 Precondition Required`; if the entry (or anything its
representation embeds) changed since, `412 Precondition Failed`, and nothing is written. A write
may say what it changed and why in a `Change-Note` header (percent-encoded UTF-8): the entry's
history in the admin shows it with the save.

**Errors.** Every 4xx and 5xx answer has the same JSON shape:
`{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}`;
`fields` appears for invalid input and names each offending field or filter.

**Limits.** A request body may be 2.5 MB (larger: `413`), a list in it 200 slugs (`maxItems`).
The server refuses request lines over 4,094 bytes with `414` before the API sees them: a query of
many filter values fits well within that, and anything longer belongs in several requests.
"""


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class WithdrawnSerializer(serializers.Serializer):
    name = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()
    reason = serializers.CharField()
    last_release = serializers.CharField(allow_null=True)
    last_release_url = serializers.URLField(allow_null=True)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For invalid input: the messages for each field or filter, by name.",
    )
    withdrawal = WithdrawnSerializer(
        required=False, help_text="For 410: when and why the entry was withdrawn."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a filter value, a field, malformed JSON or a page size.",
    "401": "Credentials were sent but are not valid, or a write was attempted without any.",
    "403": "Authenticated, but without the model permission this needs.",
    "404": "No such entry (or one you may not see), or a page past the end.",
    "409": "The write conflicts with other records (e.g. the entry is still referred to).",
    "410": "The entry was public and was withdrawn: `withdrawal` says when, why, and the last "
    "release that holds it (read it there with `?release=`).",
    "412": "`If-Match` does not match the entry's current ETag: it changed since you read it.",
    "413": "The request body is larger than 2.5 MB.",
    "415": "The request body's content type is not JSON or a form.",
    "428": "`If-Match` is missing or `*`; send the ETag you last read.",
    "429": "Too many requests; wait as long as `Retry-After` says.",
}


ETAG_HEADER = {
    "description": "Validator of this representation (strong). Send it back as If-None-Match "
    "to revalidate, or as If-Match to update or delete.",
    "schema": {"type": "string"},
    "required": True,
}


RELEASE_HEADER_SCHEMA = {
    "description": "The release this answer comes from (`?release=`), or `current`.",
    "schema": {"type": "string"},
    "required": True,
}


LAST_MODIFIED_HEADER = {
    "description": "When the newest record in this representation changed (absent for an "
    "empty list).",
    "schema": {"type": "string"},
}


class AutoSchema(openapi.AutoSchema):
    def _is_atlas_view(self):
        return isinstance(self.view, AtlasViewSet)

    def _is_record_of_change_view(self):
        """The releases and withdrawals: read only, with the one error shape."""
        return getattr(self.view, "record_of_change", False)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, SlugListField):
            schema["maxItems"] = field.max_length
        return schema

    def get_response_serializers(self):
        # Writes take an input serializer and answer with the detail representation.
        if self._is_atlas_view() and self.method in {"POST", "PUT", "PATCH"}:
            return self.view.serializer_class
        return super().get_response_serializers()

    def get_auth(self):
        auths = super().get_auth()
        permission_classes = {type(permission) for permission in self.view.get_permissions()}
        if (
            self.method in ("GET", "HEAD", "OPTIONS")
            and PublicReadModelPermissions in permission_classes
            and {} not in auths
        ):
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self._is_atlas_view():
            return parameters
        if self.method == "GET":
            parameters += [
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="ETags you hold; 304 if one is current (or `*`).",
                ),
                OpenApiParameter(
                    "If-Modified-Since",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="An HTTP date; 304 if nothing changed since (ignored when "
                    "If-None-Match is sent).",
                ),
            ]
        if self.method in {"PUT", "PATCH", "DELETE"}:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag you last read. 428 without it (or with `*`, which "
                    "names no version), 412 if the entry changed since.",
                )
            )
        if self.method in WRITE_METHODS:
            parameters.append(
                OpenApiParameter(
                    CHANGE_NOTE_HEADER,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="What you changed and why, for the entry's history (optional; "
                    "percent-encode what is not ASCII, as UTF-8; at most "
                    f"{CHANGE_NOTE_MAX_LENGTH} characters).",
                )
            )
        if self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "release",
                    OpenApiTypes.STR,
                    OpenApiParameter.QUERY,
                    description="Answer from this release's frozen data (e.g. `2027.1`; see "
                    "/api/v1/releases/) with the same filters; `current`, or none, for the live "
                    "atlas. 404 if there is no such release.",
                )
            )
        if self.method == "GET" and self._is_list_view() and self.view.csv_columns:
            parameters.append(
                OpenApiParameter(
                    "format",
                    OpenApiTypes.STR,
                    OpenApiParameter.QUERY,
                    enum=["json", "csv"],
                    description="`csv` streams every filtered entry as CSV (no pagination).",
                )
            )
        return parameters

    def may_wait_for_review(self):
        """Whether this write can be stored as changes waiting for review (202)."""
        action = getattr(self.view, "action", None)
        if action in {"update", "partial_update"}:
            return self.view.reviewed_with_entry or issubclass(self.view.model, PublishableModel)
        return action in {"create", "destroy"} and self.view.reviewed_with_entry

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._is_record_of_change_view():
            codes = ["400", "404", "429"] if self._is_list_view() else ["404", "429"]
            return self.with_errors(responses, codes)
        if not self._is_atlas_view():
            return responses
        for code in ("200", "201"):
            if code in responses:
                headers = responses[code].setdefault("headers", {})
                headers["ETag"] = ETAG_HEADER
                headers["Last-Modified"] = LAST_MODIFIED_HEADER
                content = responses[code].get("content", {})
                if "text/csv" in content:
                    content["text/csv"] = {"schema": {"type": "string"}}
        if "201" in responses:
            responses["201"]["headers"]["Location"] = {
                "description": "The new entry's URL.",
                "schema": {"type": "string", "format": "uri"},
                "required": True,
            }
        if self.method == "GET":
            responses["304"] = {
                "description": "Not modified: your copy (If-None-Match / If-Modified-Since) "
                "is current.",
                "headers": {"ETag": ETAG_HEADER, "Last-Modified": LAST_MODIFIED_HEADER},
            }
        if self.method == "GET":
            responses["200"].setdefault("headers", {})["Atlas-Release"] = RELEASE_HEADER_SCHEMA
        codes = ["401", "429"]
        list_view = self._is_list_view()
        if self.method == "GET":
            codes += ["400", "404"] if list_view else ["404", "410"]
        elif self.method == "POST":
            codes += ["400", "403", "409", "413", "415"]
            if getattr(self.view, "action", None) in {*TRANSITIONS, *CHANGE_STEPS}:  # a step
                codes += ["404", "412", "428"]
        elif self.method in {"PUT", "PATCH"}:
            codes += ["400", "403", "404", "409", "412", "413", "415", "428"]
        elif self.method == "DELETE":
            codes += ["403", "404", "409", "412", "428"]
        if self.may_wait_for_review():
            responses["202"] = {
                "description": "Accepted: the change waits for review with the entry's other "
                "unpublished changes; the public sees the published version until then.",
                "content": {
                    "application/json": {
                        "schema": self.resolve_serializer(AcceptedSerializer, "response").ref
                    }
                },
            }
        return self.with_errors(responses, codes)

    def with_errors(self, responses, codes):
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in sorted(codes):
            response = {
                "description": ERROR_DESCRIPTIONS[code],
                "content": {"application/json": {"schema": error_ref}},
            }
            if code == "429":
                response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
            responses[code] = response
        return dict(sorted(responses.items()))


class FilterExtension(DjangoFilterExtension):
    """The shared filters, described by what they accept: slugs for record filters, whole years
    within their bounds, search text up to its length limit."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, django_filters.ModelMultipleChoiceFilter):
            target = filter_field.extra.get("to_field_name") or "pk"
            return [
                build_parameter_type(
                    name=field_name,
                    required=False,
                    location=OpenApiParameter.QUERY,
                    description=f"{filter_field.label or field_name} by {target}; several "
                    "values mean any of them. An unknown value is a 400.",
                    # Each value a slug: an empty one (`?region=`) names nothing and is a 400.
                    schema=build_array_type({**build_basic_type(OpenApiTypes.STR), "minLength": 1}),
                    explode=True,
                    style="form",
                )
            ]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(filter_field, django_filters.NumberFilter):
                if "min_value" in filter_field.extra or "max_value" in filter_field.extra:
                    schema["type"] = "integer"
                    schema.pop("format", None)
                if "min_value" in filter_field.extra:
                    schema["minimum"] = filter_field.extra["min_value"]
                if "max_value" in filter_field.extra:
                    schema["maximum"] = filter_field.extra["max_value"]
            if (
                isinstance(filter_field, django_filters.CharFilter)
                and "max_length" in filter_field.extra
            ):
                schema["maxLength"] = filter_field.extra["max_length"]
        return parameters
