"""The admin classes every atlas model builds on: history with compare and revert, lost-update
protection, and the editorial workflow's buttons and actions."""

import copy

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from cooperation.admin.conflicts import (
    STALE_MESSAGE,
    VersionedModelForm,
    save_formset_if_unchanged,
    with_expected_version,
)
from cooperation.admin.form_steps import FormStepsAdminMixin, step_comment
from cooperation.admin.history import ChangeNoteField, EntryHistoryAdminMixin
from cooperation.admin.hostile import HostileParametersMixin
from cooperation.admin.presence import PresenceAdminMixin
from cooperation.admin.revisions import RevisionsAdminMixin
from cooperation.admin.schedules import SchedulesAdminMixin
from cooperation.admin.widgets import AutocompleteKeysMixin, key_or_404
from cooperation.editorial.diffs import compare
from cooperation.editorial.history import stored
from cooperation.editorial.review import CHANGE_STEPS, take_step
from cooperation.editorial.withdrawals import PUBLISHED_NOT_DELETED, may_delete
from cooperation.editorial.workflow import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    may_review,
)
from cooperation.editorial.workflow import transition as make_transition
from cooperation.models import StaleEntryError, Status, save_if_unchanged


def as_content(historical):
    """A historical row as a version's content (its own columns; simple-history keeps no links)."""
    model = historical.instance_type
    names = [field.name for field in model._meta.concrete_fields]
    return stored(serializers.serialize("python", [historical.instance], fields=names))


def draft_key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def chosen_drafts(entry, keys):
    """The entry's linked drafts that the reviewer ticked to publish with it."""
    chosen = set(keys)
    return [draft for draft in entry.linked_drafts() if draft_key(draft) in chosen]


# The entry's bookkeeping, shown after its claims (the inlines), which belong with its content
# (templates/admin/publishable_change_form.html).
RECORD_FIELDSET = (
    "Record",
    {
        "fields": ["review_note", "published_at", "created_at", "updated_at"],
        "classes": ["record"],
    },
)

# What the editor says of a save, for the entry's history: after the claims, by the buttons.
CHANGE_NOTE_FIELDSET = ("Your change", {"fields": ["change_note"], "classes": ["change-note"]})

# Where an entry is in the workflow: only the workflow's transitions change these.
WORKFLOW_FIELDS = ("status", "review_note", "published_at")


class HistoryAdmin(HostileParametersMixin, AutocompleteKeysMixin, SimpleHistoryAdmin):
    """History, revert, version comparison and lost-update protection, for every model."""

    form = VersionedModelForm
    readonly_fields = ["created_at", "updated_at"]
    object_history_template = "admin/history_with_compare.html"
    compare_template = "admin/compare_versions.html"

    def get_fieldsets(self, request, obj=None):
        return with_expected_version(super().get_fieldsets(request, obj))

    def save_model(self, request, obj, form, change):
        if change:
            save_if_unchanged(obj, expected_version=form.cleaned_data["expected_version"])
        else:
            obj.save()

    def save_formset(self, request, form, formset, change):
        save_formset_if_unchanged(formset)

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
        changes, caption = [], ""
        if newer is not None and older is not None:
            changes, _ = compare(as_content(older), as_content(newer))
            when = [
                timezone.localtime(r.history_date).strftime("%d %b %Y %H:%M:%S")
                for r in (older, newer)
            ]
            caption = f"Changes from {when[0]} to {when[1]}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Compare versions: {obj}",
            "records": records,
            "older": older,
            "newer": newer,
            "changes": changes,
            "caption": caption,
        }
        return TemplateResponse(request, self.compare_template, context)


class EntryForm(VersionedModelForm):
    change_note = ChangeNoteField()


class PublishableAdmin(
    FormStepsAdminMixin,
    PresenceAdminMixin,
    SchedulesAdminMixin,
    EntryHistoryAdminMixin,
    RevisionsAdminMixin,
    HistoryAdmin,
):
    """Content models: the editorial workflow, changes to published entries that wait for
    review, scheduled steps, who else is editing, and whole versions in the history."""

    form = EntryForm
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "change_note"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, CHANGE_NOTE_FIELDSET]

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

    def has_delete_permission(self, request, obj=None):
        # A published entry is archived first, with its reason (editorial/withdrawals.py).
        return may_delete(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset.filter(status=Status.PUBLISHED):
            self.message_user(request, PUBLISHED_NOT_DELETED.format(entry=entry), messages.ERROR)
        super().delete_queryset(request, queryset.exclude(status=Status.PUBLISHED))

    def has_review_permission(self, request):
        """Used by the publish and archive actions (`permissions=["review"]`)."""
        return may_review(request.user, self.model)

    def _bulk(self, request, queryset, name, comment=""):
        done, refused = 0, []
        for entry in queryset:
            try:
                make_transition(entry, name, user=request.user, comment=comment)
                self.log_change(request, entry, f"{TRANSITIONS[name].label} (bulk action).")
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
        """Published entries are withdrawn with a reason, asked for on a page of its own."""
        reason = request.POST.get("reason", "").strip()
        if reason or not queryset.filter(status=Status.PUBLISHED).exists():
            return self._bulk(request, queryset, "archive", comment=reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Archive {queryset.count()} {self.model._meta.verbose_name_plural}?",
            "entries": queryset,
            "asked": "reason" in request.POST,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive_reason.html", context)

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
        if name not in {*TRANSITIONS, *CHANGE_STEPS}:
            raise PermissionDenied
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404
        if name == "publish" and request.method == "GET":
            return self.publish_checklist_view(request, entry)
        if request.method != "POST":
            raise PermissionDenied
        together = chosen_drafts(entry, request.POST.getlist("also_publish"))
        try:
            done = take_step(
                entry,
                name,
                user=request.user,
                comment=step_comment(request, name),
                also_publish=together,
            )
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
            self.log_change(request, entry, done)  # for "Recent actions", with the edits
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        )

    def publish_checklist_view(self, request, entry):
        """What publishing `entry` requires, met or not, and the linked drafts that may be
        published with it; the reviewer publishes from here."""
        if not may_review(request.user, self.model):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": entry,
            "title": f"Publish “{entry}”?",
            "checklist": entry.publication_checklist(),
            "linked_drafts": [(draft_key(draft), draft) for draft in entry.linked_drafts()],
            "allowed": any(
                step.name == "publish" for step in available_transitions(request.user, entry)
            ),
        }
        return TemplateResponse(request, "admin/publish_checklist.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["transitions"] = available_transitions(request.user, obj) if obj else []
        return super().render_change_form(request, context, add, change, form_url, obj)
