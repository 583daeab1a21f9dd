"""The admin classes every atlas model builds on: history with compare and revert, lost-update
protection, and the editorial workflow's buttons and actions."""

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import DataError, router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from cooperation.admin.widgets import AutocompleteKeysMixin, key_or_404
from cooperation.editorial.workflow import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    may_review,
)
from cooperation.editorial.workflow import transition as make_transition
from cooperation.limits import SEARCH_MAX_LENGTH
from cooperation.models import StaleEntryError, Status, save_if_unchanged

STALE_MESSAGE = (
    "Someone else saved this entry after you opened it, so your changes were not saved. "
    "Reload the page to see their version, then make your changes again."
)


# An admin search of thousands of words would be one enormous query (SQLite refuses it).


# Where an entry is in the workflow: only the workflow's transitions change these.
WORKFLOW_FIELDS = ("status", "review_note", "published_at")


class VersionedModelForm(forms.ModelForm):
    """Carries the entry's version from the moment the form was opened."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # Read it from the database: a revert form's instance is an old version.
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            self.initial["expected_version"] = current.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            if expected is None or current.values_list("version", flat=True).first() != expected:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


class HistoryAdmin(AutocompleteKeysMixin, SimpleHistoryAdmin):
    """History, revert, version comparison and lost-update protection, for every model."""

    form = VersionedModelForm
    readonly_fields = ["created_at", "updated_at"]
    object_history_template = "admin/history_with_compare.html"
    compare_template = "admin/compare_versions.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        first_name, first_options = fieldsets[0]
        fields = list(first_options["fields"])
        if "expected_version" not in fields:
            fields.append("expected_version")
        return [(first_name, {**first_options, "fields": fields}), *fieldsets[1:]]

    def save_model(self, request, obj, form, change):
        if change:
            save_if_unchanged(obj, expected_version=form.cleaned_data["expected_version"])
        else:
            obj.save()

    def get_object(self, request, object_id, from_field=None):
        # `?_to_field=` (empty) means the primary key; Django would look up a field named "".
        return super().get_object(request, object_id, from_field or None)

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:
            # No stored text holds one (they are refused), and PostgreSQL cannot compare it.
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term[:SEARCH_MAX_LENGTH])

    def get_changelist_instance(self, request):
        """A filter value the database cannot hold (a year past 9999, a number past 64 bits) is
        the admin's "incorrect lookup" (a redirect and a message), not a server error."""
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                return super().get_changelist_instance(request)
        except (DataError, OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEntryError:
            # Two saves raced past the form check; the transaction has rolled back.
            self.message_user(request, STALE_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def history_view(self, request, object_id, extra_context=None):
        key_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, and the form that reverts to it: seeing it takes the right to view,
        reverting (a change) the right to change, which simple-history does not check."""
        key_or_404(self.model._meta.pk, object_id)
        key_or_404(self.model.history.model._meta.pk, version_id)
        entry = self.get_object(request, unquote(object_id))
        if request.method == "POST" and not self.has_change_permission(request, entry):
            raise PermissionDenied
        # simple-history hands the form `self.prepopulated_fields` as they are; a slug that is
        # read-only (the entry has left the draft stage) must not be among them, or the page
        # fails. A copy, as this admin serves every request at once.
        view = copy.copy(self)
        view.prepopulated_fields = self.get_prepopulated_fields(request, entry)
        try:
            return super(HistoryAdmin, view).history_form_view(
                request, object_id, version_id, extra_context
            )
        except StaleEntryError:
            self.message_user(request, STALE_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = list(obj.history.select_related("history_user").order_by("-history_date"))
        by_id = {str(record.history_id): record for record in records}
        newer = by_id.get(request.GET.get("to", ""), records[0] if records else None)
        older = by_id.get(request.GET.get("from", ""), records[1] if len(records) > 1 else newer)
        changes = []
        if newer is not None and older is not None:
            changes = newer.diff_against(older, foreign_keys_are_objs=False).changes
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Compare versions: {obj}",
            "records": records,
            "older": older,
            "newer": newer,
            "changes": changes,
        }
        return TemplateResponse(request, self.compare_template, context)


class PublishableAdmin(HistoryAdmin):
    """Content models: the editorial workflow on top of history."""

    change_form_template = "admin/publishable_change_form.html"
    readonly_fields = ["status", "review_note", "published_at", "created_at", "updated_at"]
    actions = ["submit_selected", "publish_selected", "archive_selected"]
    list_filter = ["status"]
    list_per_page = 50

    def current_status(self, obj):
        """The entry's status now: a revert form's `obj` is a past version, with its old status."""
        if obj is None or obj.pk is None:
            return None
        current = self.model._default_manager.filter(pk=obj.pk)
        return current.values_list("status", flat=True).first()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        status = self.current_status(obj)
        if status not in (None, Status.DRAFT) and "slug" not in fields:
            fields.append("slug")  # a published (or once-reviewed) entry keeps its URL
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if self.current_status(obj) not in (None, Status.DRAFT):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            # Reverting to a past version restores its content, not its place in the workflow:
            # else an editor could publish (or unpublish) by reverting, without the review right.
            current = self.model._default_manager.filter(pk=obj.pk).values(*WORKFLOW_FIELDS)
            for name, value in (current.first() or {}).items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def has_review_permission(self, request):
        """Used by the publish and archive actions (`permissions=["review"]`)."""
        return may_review(request.user, self.model)

    def _bulk(self, request, queryset, name):
        done, refused = 0, []
        for entry in queryset:
            try:
                make_transition(entry, name, user=request.user)
                done += 1
            except (WorkflowError, PermissionDenied) as error:
                refused.append(str(error))
        if done:
            message = ngettext("%d entry: %s.", "%d entries: %s.", done) % (
                done,
                TRANSITIONS[name].label.lower(),
            )
            self.message_user(request, message, messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(
        permissions=["change"], description="Submit selected %(verbose_name_plural)s for review"
    )
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(permissions=["review"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(permissions=["review"], description="Archive selected %(verbose_name_plural)s")
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, "archive")

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/workflow/<str:name>/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{opts.app_label}_{opts.model_name}_workflow",
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id, name):
        if request.method != "POST" or name not in TRANSITIONS:
            raise PermissionDenied
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404
        try:
            make_transition(entry, name, user=request.user, comment=request.POST.get("comment", ""))
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                f"“{entry}” is now {entry.get_status_display().lower()}.",
                messages.SUCCESS,
            )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = available_transitions(request.user, obj) if obj else []
        return super().render_change_form(request, context, add, change, form_url, obj)
