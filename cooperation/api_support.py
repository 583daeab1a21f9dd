"""What every API resource shares: conditional requests (ETag, Last-Modified, If-None-Match,
If-Match), streamed CSV export, input serializers that validate as the admin does, and the base
viewset that puts them together (policies such as permissions and errors: api_policies.py).

Reads are public and show what `visible_to(user)` allows; writes need Django model permissions
and, for updates and deletions, an `If-Match` header carrying the ETag the client last read (428
without it, 412 when the entry changed since)."""

import copy
import csv
import datetime
import functools
import hashlib
import json
import re
from collections.abc import Mapping

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, F, Func, IntegerField, Max, Subquery
from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, renderers, serializers, status, viewsets
from rest_framework.response import Response

from cooperation.api_policies import (
    PreconditionFailed,
    PreconditionRequired,
    PublicReadModelPermissions,
)
from cooperation.caching import public_cache_seconds, versioned_key
from cooperation.publishing import PublishableModel, Status, save_if_unchanged

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
SURROGATE = re.compile("[\ud800-\udfff]")
ID_PATTERN = r"[0-9]{1,18}"
WRITE_ACTIONS = {"create", "update", "partial_update"}
CSV_CHUNK_SIZE = 500


# Conditional requests


def publishable_models():
    return sorted(
        (model for model in apps.get_models() if issubclass(model, PublishableModel)),
        key=lambda model: model._meta.label_lower,
    )


def visibility_class(user):
    """Which drafts the user may see, as a short tag: "public" for everyone who sees published
    entries only. It goes into every ETag, so one class never revalidates another's copy."""
    if user is None or not user.is_authenticated:
        return "public"
    seen = [
        model._meta.label_lower
        for model in publishable_models()
        if user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]
    return "drafts:" + ",".join(seen) if seen else "public"


def make_etag(*parts):
    return f'"{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"'


def loaded_tree(obj, ancestors=()):
    """The entry and every related record loaded with it (select_related and prefetched), each
    with its version, in the order they are shown: what the detail representation is made of."""
    key = (obj._meta.label_lower, obj.pk)
    if key in ancestors:
        return key
    ancestors = (*ancestors, key)
    children = []
    for name, related in sorted(obj._state.fields_cache.items()):
        if related is not None:
            children.append((name, loaded_tree(related, ancestors)))
    for name, items in sorted(getattr(obj, "_prefetched_objects_cache", {}).items()):
        children.append((name, [loaded_tree(item, ancestors) for item in items]))
    return (key, getattr(obj, "version", None), children)


def latest_update(obj, ancestors=()):
    key = (obj._meta.label_lower, obj.pk)
    if key in ancestors:
        return None
    ancestors = (*ancestors, key)
    related = [r for r in obj._state.fields_cache.values() if r is not None]
    for items in getattr(obj, "_prefetched_objects_cache", {}).values():
        related.extend(items)
    stamps = [getattr(obj, "updated_at", None)] + [latest_update(r, ancestors) for r in related]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps, default=None)


def table_state(model, user):
    """Scalar subqueries for the latest change and the number of a table's records the user may
    see. Any change to what they see moves one or the other: an edit or a publication stamps the
    record with the newest time, an unpublication or a deletion lowers the count. Drafts the user
    may not see count for nothing, so their edits show in neither the ETag nor Last-Modified."""
    table = model._default_manager.visible_to(user).order_by()
    latest = table.order_by("-updated_at").values("updated_at")[:1]
    count = table.annotate(rows=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Max(Subquery(latest)), Max(Subquery(count.values("rows")))


def list_state(queryset, user, dependencies=()):
    """One query: the latest change and count of the filtered list, and the latest change and
    size of the visible part of each table whose records the list items embed."""
    aggregates = {"last": Max("updated_at"), "count": Count("pk")}
    for index, model in enumerate(dependencies):
        aggregates[f"last_{index}"], aggregates[f"count_{index}"] = table_state(model, user)
    return queryset.order_by().aggregate(**aggregates)


def is_not_modified(request, etag, last_modified):
    """If-None-Match (weak comparison) wins; If-Modified-Since counts only without it."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        etags = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
        return "*" in etags or etag.removeprefix("W/") in etags
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    if if_modified_since is None or last_modified is None:
        return False
    return int(last_modified.timestamp()) <= if_modified_since


def check_if_match(request, etag):
    """Updates and deletions must name the representation they start from."""
    if_match = request.META.get("HTTP_IF_MATCH")
    if if_match is None:
        raise PreconditionRequired()
    etags = parse_etags(if_match)
    if "*" in etags:
        return
    if etag not in [tag for tag in etags if not tag.startswith("W/")]:
        raise PreconditionFailed()


# CSV


class JSONParser(parsers.JSONParser):
    """DRF's, but JSON nested too deep for Python's parser is a 400 like any other bad JSON,
    not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from error


class CSVRenderer(renderers.BaseRenderer):
    """Chosen with `?format=csv` or `Accept: text/csv` on list endpoints; the view streams the
    rows itself, so this only renders what never reaches it (nothing)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b"" if data is None else str(data).encode(self.charset)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula (CSV injection); lists joined by ";"."""
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what is written, for csv.writer to stream through."""

    def write(self, value):
        return value


def stream_csv(columns, rows):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(spreadsheet_safe(row.get(column)) for column in columns)


# Serializers


def text_character_error(value):
    """Refused before any field looks the value up: PostgreSQL cannot even compare a null
    character, and a lone surrogate (JSON's "\\ud800") cannot be stored or even echoed back
    in an error message as UTF-8."""
    values = value if isinstance(value, list) else [value]
    texts = [item for item in values if isinstance(item, str)]
    if any("\x00" in text for text in texts):
        return "Null characters are not allowed."
    if any(not text.isascii() and SURROGATE.search(text) for text in texts):
        return "Text must be valid Unicode: lone surrogates are not allowed."
    return None


def json_type_error(field, value):
    """Input (JSON only) must have the type and length the schema gives: DRF alone would read 71
    as "71" and "1" as true, and measure a string after trimming it."""
    if value is None:
        return None  # DRF says whether null is allowed
    if isinstance(field, serializers.BooleanField):
        expected, ok = "true or false", isinstance(value, bool)
    elif isinstance(field, serializers.IntegerField):
        expected, ok = "a whole number", isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(field, serializers.ManyRelatedField | serializers.ListField):
        expected, ok = "a list", isinstance(value, list)
    elif isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.RelatedField,
    ):
        expected, ok = "a string", isinstance(value, str)
    else:
        return None
    if not ok:
        return f"Expected {expected}."
    max_length = getattr(field, "max_length", None)
    if isinstance(value, str) and max_length is not None and len(value) > max_length:
        # checked before DRF trims surrounding whitespace, as the schema's maxLength is
        return f"Ensure this field has no more than {max_length} characters."
    return None


class ModelInputSerializer(serializers.ModelSerializer):
    """Input for writes: validated as the admin validates (`full_clean()`, so the model's rules
    and constraints speak), saved with `save_if_unchanged()` so a concurrent edit is never lost,
    and recorded in the entry's history under the requesting user. Publication status is not
    written here: it moves through the editorial workflow (cooperation.workflow)."""

    def get_unique_together_validators(self):
        return []  # full_clean() checks the model's constraints, with their own messages

    def get_unique_for_date_validators(self):
        return []

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF reports a body that is not an object
        errors = {
            name: [message]
            for name, field in self.fields.items()
            if name in data and not field.read_only
            for message in [text_character_error(data[name]) or json_type_error(field, data[name])]
            if message
        }
        if not errors:
            return super().to_internal_value(data)
        try:  # report the other fields' problems too
            super().to_internal_value({k: v for k, v in data.items() if k not in errors})
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):
                errors = {**error.detail, **errors}
        raise serializers.ValidationError(errors)

    def _split(self, attrs):
        """Validated data is keyed by model field name; many-to-many values are set after save."""
        opts = self.Meta.model._meta
        many = {name: value for name, value in attrs.items() if opts.get_field(name).many_to_many}
        return {name: value for name, value in attrs.items() if name not in many}, many

    def validate_slug(self, slug):
        instance = self.instance
        if (
            isinstance(instance, PublishableModel)
            and instance.status != Status.DRAFT
            and slug != instance.slug
        ):
            raise serializers.ValidationError(
                "This entry has left the draft stage, so its slug (and public URL) stays."
            )
        return slug

    def validate(self, attrs):
        attrs = super().validate(attrs)
        single, _ = self._split(attrs)
        candidate = self.Meta.model() if self.instance is None else copy.copy(self.instance)
        for name, value in single.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            names = {field.source: name for name, field in self.fields.items()}
            raise serializers.ValidationError(
                {
                    names.get(name, "non_field_errors"): messages
                    for name, messages in error.message_dict.items()
                }
            ) from error
        return attrs

    def _record_user(self, instance):
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            instance._history_user = request.user

    def create(self, validated_data):
        single, many = self._split(validated_data)
        instance = self.Meta.model(**single)
        self._record_user(instance)
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        single, many = self._split(validated_data)
        for name, value in single.items():
            setattr(instance, name, value)
        self._record_user(instance)
        save_if_unchanged(instance, expected_version=self.context["expected_version"])
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance


def optional_url_field(max_length, **kwargs):
    """A URL that may be left empty, described as such (a plain URLField claims every value is
    a URI, which the empty string is not)."""
    field = serializers.URLField(max_length=max_length, allow_blank=True, **kwargs)
    return extend_schema_field(
        {
            "oneOf": [
                {"type": "string", "format": "uri", "maxLength": max_length},
                {"type": "string", "maxLength": 0},
            ]
        }
    )(field)


class VisibleSlugRelatedField(serializers.SlugRelatedField):
    """A related record named by its slug, among those the requesting user may see."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("slug_field", "slug")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model._default_manager.visible_to(getattr(request, "user", None))

    def run_validation(self, data=serializers.empty):
        if data == "":  # DRF would read it as null
            raise serializers.ValidationError("Give a slug (or null where none is allowed).")
        return super().run_validation(data)


def visible_to_request(obj, request):
    """Whether a single related record (a foreign key that may point at a draft) may be shown."""
    if obj is None:
        return False
    if not isinstance(obj, PublishableModel) or obj.is_published:
        return True
    opts = obj._meta
    user = getattr(request, "user", None)
    return user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


# Public read cache

CACHED_HEADERS = ("ETag", "Last-Modified")


def cacheable_read(response):
    """A complete, public answer: DRF data (not a stream, e.g. CSV) that sets no cookie."""
    cache_control = response.get("Cache-Control", "")
    return (
        isinstance(response, Response)
        and response.status_code == status.HTTP_200_OK
        and response.data is not None
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def cached_entry(response):
    """The data as plain JSON: DRF's hyperlinks hold the model instances they were made from,
    which would be pickled along with them."""
    headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
    return {"json": renderers.JSONRenderer().render(response.data), "headers": headers}


def response_from(entry, request):
    """The cached read in the negotiated format, or 304 if the client's copy is the one cached
    (only for what carries an ETag, as uncached reads do)."""
    headers = entry["headers"]
    etag = headers.get("ETag")
    if etag is not None:
        seconds = parse_http_date_safe(headers.get("Last-Modified") or "")
        last_modified = (
            None if seconds is None else datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        )
        if is_not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            for name, value in headers.items():
                response[name] = value
            return response
    if (
        type(request.accepted_renderer) is renderers.JSONRenderer
        and request.accepted_media_type == renderers.JSONRenderer.media_type
    ):
        # Exactly what the renderer would write from the data again
        return HttpResponse(
            entry["json"], content_type=request.accepted_media_type, headers=headers
        )
    return Response(json.loads(entry["json"]), headers=headers)


class PublicReadCacheMixin:
    """Anonymous reads (GET, HEAD) answered from Django's cache, keyed by the content version
    (so any content change retires every entry), the absolute URL with its query string, and the
    negotiated format. `X-Atlas-Cache` says hit or miss.

    It starts after DRF's `initial()`: authentication, permissions and throttles come first (a
    throttled client still gets 429), and a signed-in user, who may see drafts, neither reads nor
    fills the cache. Whatever GET handler the view has (list, retrieve, get) is wrapped.

    It keeps the serialised data, as JSON, and its validators: a JSON reader gets those bytes as
    they are, any other format is rendered from them (the browsable API embeds each reader's own
    CSRF token, so its pages are never shared)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        handler = getattr(self, method, None)
        if method in ("get", "head") and handler and self.public_read_cacheable(request):
            setattr(self, method, functools.partial(self.cached_read, handler))

    def public_read_cacheable(self, request):
        return bool(public_cache_seconds()) and not request.user.is_authenticated

    def public_read_key(self, request):
        """Read before the content, so nothing older than the version is stored under it."""
        return versioned_key("api", request.build_absolute_uri(), request.accepted_renderer.format)

    def cached_read(self, read, request, *args, **kwargs):
        key = self.public_read_key(request)
        entry = cache.get(key)
        if entry is not None:
            response = response_from(entry, request)
            response["X-Atlas-Cache"] = "hit"
            return response
        response = read(request, *args, **kwargs)
        if cacheable_read(response):
            cache.set(key, cached_entry(response), public_cache_seconds())
        response["X-Atlas-Cache"] = "miss"
        return response


# Views


class AtlasViewSet(PublicReadCacheMixin, viewsets.ModelViewSet):
    """A resource: list (filtered, paginated, CSV), detail, and writes guarded by If-Match.

    Subclasses set `model`, `serializer_class` (detail output), `list_serializer_class`,
    `input_serializer_class`, `filterset_class`, `list_dependencies` (models whose records list
    items embed, for the list ETag), and `csv_columns` with `csv_row(obj)`."""

    model = None
    permission_classes = [PublicReadModelPermissions]
    parser_classes = [JSONParser]  # typed input only; the browsable API's raw form is JSON
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    list_serializer_class = None
    input_serializer_class = None
    list_dependencies = ()
    csv_columns = ()
    csv_filename = None

    # Querysets

    @property
    def user(self):
        return getattr(getattr(self, "request", None), "user", None)

    def visible(self, model):
        return model._default_manager.visible_to(self.user)

    def get_queryset(self):
        return self.visible(self.model)

    def decorate(self, queryset):
        """Annotations a page needs but the list's count and ETag do not."""
        return queryset

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS:
            return self.input_serializer_class
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def perform_content_negotiation(self, request, force=False):
        if not force and request.query_params.get("format") == "":
            raise exceptions.NotFound("Name a format (json or, for lists, csv) or leave it out.")
        return super().perform_content_negotiation(request, force)

    def get_renderers(self):
        renderers_ = super().get_renderers()
        if getattr(self, "action", None) == "list" and self.csv_columns:
            renderers_.append(CSVRenderer())
        return renderers_

    # Validators and caching headers

    def etag_extra(self, instance):
        return ()

    def detail_validators(self, instance):
        etag = make_etag(
            "detail",
            visibility_class(self.user),
            loaded_tree(instance),
            self.etag_extra(instance),
        )
        return etag, latest_update(instance)

    def list_validators(self, queryset):
        state = list_state(queryset, self.user, self.list_dependencies)
        query = sorted(
            (key, values) for key, values in self.request.query_params.lists() if key != "format"
        )
        etag = make_etag(
            "list",
            self.request.path,
            query,
            self.request.accepted_renderer.format == "csv",
            visibility_class(self.user),
            sorted(state.items()),
        )
        stamps = [value for key, value in state.items() if key.startswith("last") and value]
        return etag, max(stamps, default=None), state["count"]

    def with_validators(self, response, etag, last_modified):
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = renderers.JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if request.method in ("GET", "HEAD"):
            user = getattr(request, "_user", None)  # never authenticate again after a 401
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, no_cache=True)
        return response

    def not_modified(self, etag, last_modified):
        return self.with_validators(HttpResponseNotModified(), etag, last_modified)

    # Reads

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        etag, last_modified, count = self.list_validators(queryset)
        self.paginator.check(request, count)
        if is_not_modified(request, etag, last_modified):
            return self.not_modified(etag, last_modified)
        if request.accepted_renderer.format == "csv":
            return self.with_validators(self.csv_response(queryset), etag, last_modified)
        page = self.paginator.paginate_queryset(
            self.decorate(queryset), request, view=self, count=count
        )
        serializer = self.get_serializer(page, many=True)
        response = self.paginator.get_paginated_response(serializer.data)
        return self.with_validators(response, etag, last_modified)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        etag, last_modified = self.detail_validators(instance)
        if is_not_modified(request, etag, last_modified):
            return self.not_modified(etag, last_modified)
        response = Response(self.get_serializer(instance).data)
        return self.with_validators(response, etag, last_modified)

    def get_object(self):
        queryset = self.decorate(self.filter_queryset(self.get_queryset()))
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        instance = queryset.filter(**{self.lookup_field: lookup}).first()
        if instance is None:
            raise exceptions.NotFound(f"No {self.model._meta.verbose_name} “{lookup}” here.")
        self.check_object_permissions(self.request, instance)
        return instance

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset  # filters describe lists; a detail is found by its slug or id
        return super().filter_queryset(queryset)

    # CSV

    def csv_row(self, obj):
        raise NotImplementedError

    def csv_rows(self, queryset):
        for obj in self.decorate(queryset).iterator(chunk_size=CSV_CHUNK_SIZE):
            yield self.csv_row(obj)

    def csv_response(self, queryset):
        response = StreamingHttpResponse(
            stream_csv(self.csv_columns, self.csv_rows(queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
        return response

    def site_url(self, obj):
        return self.request.build_absolute_uri(obj.get_absolute_url())

    # Writes

    def entry_response(self, instance, status_code):
        """The entry as the writer now sees it, with its new ETag."""
        fresh = self.decorate(self.get_queryset()).filter(pk=instance.pk).first()
        if fresh is None:  # e.g. a draft made by someone who may add but not see drafts
            fresh = self.decorate(self.model._default_manager.all()).get(pk=instance.pk)
        etag, last_modified = self.detail_validators(fresh)
        serializer = self.serializer_class(fresh, context=self.get_serializer_context())
        response = Response(serializer.data, status=status_code)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = str(serializer.data["url"])
        return self.with_validators(response, etag, last_modified)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = serializer.save()
        return self.entry_response(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        check_if_match(request, self.detail_validators(instance)[0])
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        serializer.context["expected_version"] = instance.version
        with transaction.atomic():
            instance = serializer.save()
        return self.entry_response(instance, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        check_if_match(request, self.detail_validators(instance)[0])
        with transaction.atomic():
            claimed = self.model._default_manager.filter(
                pk=instance.pk, version=instance.version
            ).update(version=F("version") + 1)
            if not claimed:
                raise PreconditionFailed()
            instance._history_user = request.user
            instance.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
