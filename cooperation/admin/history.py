"""The History, Compare and Revert pages of an entry (actor, mechanism, challenge, case study,
topic), from its whole versions (cooperation.editorial.history): one line per save with who, when,
the change note and what the save did; any two versions compared field by field, links and claims
included, text word by word; and a revert to any version that names it, restores everything the
comparison shows, and waits for review where any other edit would."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from cooperation.admin.conflicts import stale_message
from cooperation.editorial.diffs import compare
from cooperation.editorial.history import CHANGE_NOTE_MAX_LENGTH, stored
from cooperation.editorial.reverting import RevertError, revert
from cooperation.editorial.revisions import open_revision, previewing, waits_for_review
from cooperation.editorial.snapshots import snapshot
from cooperation.models import EntryVersion, StaleEntryError

HISTORY_PAGE_SIZE = 100


class ChangeNoteField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Change note",
            required=False,
            max_length=CHANGE_NOTE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="What you changed and why, for the entry's history (optional).",
            **kwargs,
        )


class RevertForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    change_note = ChangeNoteField()


class EntryHistoryAdminMixin:
    """For PublishableAdmin: History, Compare and Revert from the entry's whole versions."""

    object_history_template = "admin/entry_history.html"
    compare_template = "admin/entry_compare.html"
    revert_template = "admin/entry_revert.html"

    def versions_of(self, object_id):
        content_type = ContentType.objects.get_for_model(self.model, for_concrete_model=False)
        return EntryVersion.objects.filter(content_type=content_type, object_id=object_id)

    def versioned_entry_or_404(self, request, object_id, right="view"):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, entry)
            if right == "change"
            else self.has_view_or_change_permission(request, entry)
        )
        if not allowed:
            raise PermissionDenied
        return entry

    def context(self, request, entry, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": entry,
            "object": entry,
            "title": title,
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        entry = self.versioned_entry_or_404(request, object_id)
        versions = self.versions_of(entry.pk).select_related("saved_by").order_by("-number")
        context = self.context(
            request,
            entry,
            f"History: {entry}",
            versions=list(versions[:HISTORY_PAGE_SIZE].defer("content")),
            revision=open_revision(entry),
            may_revert=self.has_change_permission(request, entry),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        entry = self.versioned_entry_or_404(request, object_id)
        numbers = list(
            self.versions_of(entry.pk).order_by("-number").values_list("number", flat=True)
        )
        newer, older = self.chosen_numbers(request, numbers)
        chosen = {
            version.number: version
            for version in self.versions_of(entry.pk)
            .filter(number__in={newer, older})
            .select_related("saved_by")
        }
        changes = claims = ()
        if newer in chosen and older in chosen:
            changes, claims = compare(chosen[older].content, chosen[newer].content)
        context = self.context(
            request,
            entry,
            f"Compare versions: {entry}",
            versions=list(
                self.versions_of(entry.pk).select_related("saved_by").defer("content")[:500]
            ),
            older=chosen.get(older),
            newer=chosen.get(newer),
            changes=changes,
            claim_changes=claims,
            may_revert=self.has_change_permission(request, entry),
        )
        return TemplateResponse(request, self.compare_template, context)

    def chosen_numbers(self, request, numbers):
        """(newer, older): the versions asked for, else the latest two."""

        def number(name, default):
            value = request.GET.get(name, "")
            return int(value) if value.isdigit() and int(value) in numbers else default

        latest = numbers[0] if numbers else None
        previous = numbers[1] if len(numbers) > 1 else latest
        chosen = [number("to", latest), number("from", previous)]
        if None in chosen:
            return None, None
        return max(chosen), min(chosen)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to version number `version_id`: what it will change, then the revert."""
        entry = self.versioned_entry_or_404(request, object_id)
        if not version_id.isdigit():
            raise Http404
        version = self.versions_of(entry.pk).filter(number=int(version_id)).first()
        if version is None or version.content is None:
            raise Http404
        if request.method == "POST":
            if not self.has_change_permission(request, entry):
                raise PermissionDenied
            form = RevertForm(request.POST)
            if form.is_valid():
                return self.revert(request, entry, version, form)
        revision = open_revision(entry)
        with previewing(revision):  # what the editor would revert from: the changes, if any
            current = type(entry)._default_manager.get(pk=entry.pk)
            now = stored(snapshot(current))
        changes, claims = compare(now, version.content)
        if request.method != "POST":
            form = RevertForm(initial={"expected_version": current.version})
        context = self.context(
            request,
            entry,
            f"Revert “{entry}” to {version.description}?",
            version=version,
            form=form,
            changes=changes,
            claim_changes=claims,
            revision=revision,
            waits=waits_for_review(entry, request.user),
            may_revert=self.has_change_permission(request, entry),
        )
        return TemplateResponse(request, self.revert_template, context)

    def revert(self, request, entry, version, form):
        opts = self.model._meta
        try:
            revision = revert(
                entry,
                version,
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
                note=form.cleaned_data["change_note"],
            )
        except StaleEntryError:
            message = stale_message(self.model, entry.pk, form.cleaned_data["expected_version"])
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        except RevertError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if revision is not None:
            self.message_user(
                request,
                f"Reverted to {version.description}. The revert waits for review; the public "
                "sees the published version until a reviewer publishes it.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, f"Reverted to {version.description}.", messages.SUCCESS)
        self.log_change(request, entry, f"Reverted to {version.description}.")
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        )
