"""Admin machinery shared by every model: history, lost-update protection and the workflow.

Every admin keeps a full history (django-simple-history: list, per-version changes, revert) and a
page comparing any two versions. Every change form carries the version it was opened at; a save
from an older version is refused with a message and nothing is written. Content models add the
workflow: buttons and bulk actions for the transitions the user may make, and a read-only slug
once published, so a public URL never changes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from cooperation.publishing import StaleEntryError, Status, save_if_unchanged
from cooperation.workflow import TRANSITIONS, WorkflowError, available_transitions, may_review
from cooperation.workflow import transition as make_transition

STALE_MESSAGE = (
    "Someone else saved this entry after you opened it, so your changes were not saved. "
    "Reload the page to see their version, then make your changes again."
)


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


class HistoryAdmin(SimpleHistoryAdmin):
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEntryError:
            # Two saves raced past the form check; the transaction has rolled back.
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
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Status.DRAFT and "slug" not in fields:
            fields.append("slug")  # a published (or once-reviewed) entry keeps its URL
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            return {}
        return super().get_prepopulated_fields(request, obj)

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
        entry = get_object_or_404(self.get_queryset(request), pk=object_id)
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
