"""The base viewset every resource shares: list (filtered, paginated, CSV), detail, and writes
guarded by If-Match.

Reads are public and show what `visible_to(user)` allows; writes need Django model permissions
and, for updates and deletions, an `If-Match` header carrying the ETag the client last read."""

import datetime

from django.db import models, transaction
from django.db.models import F
from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions, renderers, status, viewsets
from rest_framework.response import Response

from cooperation.api.conditional import (
    check_if_match,
    is_not_modified,
    latest_update,
    list_state,
    loaded_tree,
    make_etag,
)
from cooperation.api.errors import Conflict, Gone, PreconditionFailed
from cooperation.api.formats import CSVRenderer, JSONParser
from cooperation.api.permissions import PublicReadModelPermissions
from cooperation.api.read_cache import PublicReadCacheMixin
from cooperation.api.releases import ReleasePinnedMixin
from cooperation.api.serializers.fields import SiteURLField
from cooperation.api.viewsets.revisions import ReviewedWritesMixin
from cooperation.editorial.changes import changes_since
from cooperation.editorial.history import CHANGE_NOTE_HEADER, CHANGE_NOTE_MAX_LENGTH, header_note
from cooperation.editorial.withdrawals import PUBLISHED_NOT_DELETED, may_delete
from cooperation.exchange.csv import stream_csv
from cooperation.limits import SLUG_PATTERN
from cooperation.models import Withdrawal, is_visible_to, visibility_class
from cooperation.releases.public_record import last_release_holding

ID_PATTERN = r"[0-9]{1,18}"


WRITE_ACTIONS = {"create", "update", "partial_update"}


CSV_CHUNK_SIZE = 500


def withdrawn_error(model, slug, request):
    """Raise the API's 410 if the entry of `model` with `slug` was withdrawn from the public."""
    withdrawal = Withdrawal.objects.active().of_model(model).filter(slug=slug).first()
    if withdrawal is None:
        return
    release = last_release_holding(model, withdrawal.object_id)
    when = f"{withdrawal.withdrawn_at:%Y-%m-%d}"
    raise Gone(
        f"The {model._meta.verbose_name} “{withdrawal.name}” was withdrawn on {when}: "
        f"{withdrawal.reason}",
        {
            "name": withdrawal.name,
            "withdrawn_at": withdrawal.withdrawn_at.isoformat(),
            "reason": withdrawal.reason,
            "last_release": release.version if release else None,
            "last_release_url": (
                request.build_absolute_uri(f"{request.path}?release={release.version}")
                if release
                else None
            ),
        },
    )


class AtlasViewSet(
    ReleasePinnedMixin, ReviewedWritesMixin, PublicReadCacheMixin, viewsets.ModelViewSet
):
    """A resource: list (filtered, paginated, CSV), detail, and writes guarded by If-Match.

    Subclasses set `model`, `serializer_class` (detail output), `list_serializer_class`,
    `input_serializer_class`, `filterset_class`, `list_dependencies` (models whose records list
    items embed, for the list ETag), and `csv_fields` (the list's CSV)."""

    model = None
    permission_classes = [PublicReadModelPermissions]
    parser_classes = [JSONParser]  # typed input only; the browsable API's raw form is JSON
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    list_serializer_class = None
    input_serializer_class = None
    list_dependencies = ()
    # The list as CSV: fields of `serializer_class`, in column order, each written from what the
    # field reads: a related record as its slug (empty if the reader may not see it), a date as
    # ISO 8601, an entry's page on the site (`site_url`) under the heading "url".
    csv_fields = ()
    csv_headings = {"site_url": "url"}
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

    def complete(self, instance):
        """One entry read for its detail, given what decorate() could not prefetch (nothing
        here); its ETag is made of what it holds then."""
        return instance

    def get_serializer_class(self):
        if self.action in WRITE_ACTIONS:
            return self.input_serializer_class
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and len(header_note(request)) > (
            CHANGE_NOTE_MAX_LENGTH
        ):
            raise exceptions.ValidationError(
                {
                    CHANGE_NOTE_HEADER: [
                        f"A change note may have at most {CHANGE_NOTE_MAX_LENGTH} characters."
                    ]
                }
            )

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
            self.pending_changes_marker(instance),
        )
        return etag, latest_update(instance)

    def list_state(self, queryset):
        """The filtered list's count and latest change, and its dependencies' (the ETag's and
        Last-Modified's matter)."""
        return list_state(queryset, self.user, self.list_dependencies)

    def list_page_source(self, queryset):
        """What the list's page is cut from: the filtered queryset, decorated."""
        return self.decorate(queryset)

    def list_validators(self, queryset):
        state = self.list_state(queryset)
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
            self.list_page_source(queryset), request, view=self, count=count
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
            if self.pinned_release is None and self.lookup_field == "slug":
                withdrawn_error(self.model, lookup, self.request)
            raise exceptions.NotFound(f"No {self.model._meta.verbose_name} “{lookup}” here.")
        self.check_object_permissions(self.request, instance)
        return self.complete(instance)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset  # filters describe lists; a detail is found by its slug or id
        return super().filter_queryset(queryset)

    # CSV

    @property
    def csv_columns(self):
        return [self.csv_headings.get(name, name) for name in self.csv_fields]

    def csv_value(self, obj, field):
        value = field.get_attribute(obj)
        if isinstance(field, SiteURLField):
            return self.request.build_absolute_uri(value) if value else value
        if isinstance(value, models.Model):
            return value.slug if is_visible_to(self.user, value) else None
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def csv_rows(self, queryset):
        fields = self.serializer_class(context=self.get_serializer_context()).fields
        columns = [fields[name] for name in self.csv_fields]
        for obj in self.decorate(queryset).iterator(chunk_size=CSV_CHUNK_SIZE):
            yield [self.csv_value(obj, field) for field in columns]

    def csv_response(self, queryset):
        response = StreamingHttpResponse(
            stream_csv(self.csv_columns, self.csv_rows(queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
        return response

    # Writes

    def entry_response(self, instance, status_code):
        """The entry as the writer now sees it, with its new ETag."""
        fresh = self.decorate(self.get_queryset()).filter(pk=instance.pk).first()
        if fresh is None:  # e.g. a draft made by someone who may add but not see drafts
            fresh = self.decorate(self.model._default_manager.all()).get(pk=instance.pk)
        fresh = self.complete(fresh)
        etag, last_modified = self.detail_validators(fresh)
        serializer = self.serializer_class(fresh, context=self.get_serializer_context())
        response = Response(serializer.data, status=status_code)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = str(serializer.data["url"])
        return self.with_validators(response, etag, last_modified)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = self.owning_entry_of_new(serializer.validated_data)
        if self.waits_for_review(entry):
            return self.as_revision(entry, lambda: serializer.save() is not None)
        with transaction.atomic():
            instance = serializer.save()
        return self.entry_response(instance, status.HTTP_201_CREATED)

    def check_unchanged(self, request, instance):
        """If-Match against the entry as it is now; a refusal says who changed it, and when."""
        try:
            check_if_match(request, self.detail_validators(instance)[0])
        except PreconditionFailed as error:
            since = self.pending_changes_since(instance) or changes_since(
                self.model, instance.pk, None
            )
            if since is None:
                raise
            raise PreconditionFailed(
                f"The entry was changed since you read it: {since}. Fetch it again and "
                "reapply your change, so theirs is not lost."
            ) from error

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_unchanged(request, instance)
        entry = self.owning_entry(instance)
        if self.waits_for_review(entry):
            return self.update_as_revision(request, instance, entry, kwargs.get("partial", False))
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
        self.check_unchanged(request, instance)
        entry = self.owning_entry(instance)
        if entry is instance and not may_delete(entry):
            raise Conflict(PUBLISHED_NOT_DELETED.format(entry=entry))
        if entry is not instance and self.waits_for_review(entry):
            return self.destroy_as_revision(request, instance, entry)
        with transaction.atomic():
            claimed = self.model._default_manager.filter(
                pk=instance.pk, version=instance.version
            ).update(version=F("version") + 1)
            if not claimed:
                raise PreconditionFailed()
            instance._history_user = request.user
            instance.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
