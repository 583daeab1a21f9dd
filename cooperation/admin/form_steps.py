"""Workflow buttons that never lose an edit: each belongs to the change form (the HTML `form`
attribute puts the buttons of the workflow box in it), so it first saves what the form holds,
with all the form's checks, then takes the step on the saved entry. A form that fails its checks
takes no step. An unchanged form saves nothing; the step then acts on the version it showed
(refused if someone else saved since)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from cooperation.admin.conflicts import STALE_MESSAGE
from cooperation.editorial.review import CHANGE_STEPS, take_step
from cooperation.editorial.workflow import TRANSITIONS, WorkflowError
from cooperation.models import StaleEntryError

STEP_FIELD = "_workflow"


def step_comment(request, name):
    """The comment written for step `name` (each step that asks for one has its own box)."""
    return request.POST.get(f"{name}_comment") or request.POST.get("comment", "")


class FormStepsAdminMixin:
    """For PublishableAdmin, outermost: the step is taken after the save has committed (or been
    kept as a revision), outside the savepoints the save may run in."""

    def requested_step(self, request):
        name = request.POST.get(STEP_FIELD, "") if request.method == "POST" else ""
        return name if name in TRANSITIONS or name in CHANGE_STEPS else None

    def save_model(self, request, obj, form, change):
        if change and self.requested_step(request) and not form.has_changed():
            request.unchanged_version = form.cleaned_data["expected_version"]
        else:
            super().save_model(request, obj, form, change)
        request.saved_object = obj

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and hasattr(request, "unchanged_version"):
            return None  # the form's "changed successfully": nothing was, the step will say
        return super().message_user(request, message, level, *args, **kwargs)

    def log_change(self, request, obj, message):
        if hasattr(request, "unchanged_version"):
            return None  # "No fields changed": the step is logged instead
        return super().log_change(request, obj, message)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        name = self.requested_step(request)
        saved = getattr(request, "saved_object", None)
        if name is None or saved is None or not isinstance(response, HttpResponseRedirect):
            return response  # no step asked for, or the form was refused
        return self.take_step(request, saved, name)

    def take_step(self, request, saved, name):
        opts = self.model._meta
        if name == "publish":  # the checklist, on the content just saved
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_workflow", args=[saved.pk, name])
            )
        entry = self.model._default_manager.get(pk=saved.pk)
        expected = getattr(request, "unchanged_version", entry.version)
        if hasattr(request, "unchanged_version"):
            del request.unchanged_version  # from here on, messages are the step's
        try:
            done = take_step(
                entry,
                name,
                user=request.user,
                comment=step_comment(request, name),
                expected_version=expected if name in TRANSITIONS else None,
            )
        except StaleEntryError:
            self.message_user(request, STALE_MESSAGE, messages.ERROR)
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
            self.log_change(request, entry, done)  # for "Recent actions", with the edits
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        )
