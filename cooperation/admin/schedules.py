"""Scheduling workflow steps from an entry's workflow box: reviewers set when it (or its changes
waiting for review) goes live, or when it is archived, and cancel what is scheduled
(cooperation.editorial.scheduling; `manage.py publish_scheduled` takes the steps)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone

from cooperation.editorial.scheduling import cancel, schedulable_steps, schedule
from cooperation.editorial.workflow import WorkflowError, may_review
from cooperation.limits import REVIEW_NOTE_MAX_LENGTH
from cooperation.models import Schedule

INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        input_formats=[INPUT_FORMAT], widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(required=False, max_length=REVIEW_NOTE_MAX_LENGTH)


def when(moment):
    local = timezone.localtime(moment)
    return f"{local:%d %b %Y %H:%M} ({timezone.get_current_timezone_name()})"


class SchedulesAdminMixin:
    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/schedule/<int:schedule_id>/cancel/",
                self.admin_site.admin_view(self.cancel_schedule_view),
                name=f"{name}_cancel_schedule",
            ),
            path(
                "<path:object_id>/schedule/<str:step>/",
                self.admin_site.admin_view(self.schedule_view),
                name=f"{name}_schedule",
            ),
            *super().get_urls(),
        ]

    def entry_or_404(self, request, object_id):
        entry = self.get_object(request, unquote(object_id))
        if entry is None:
            raise Http404
        return entry

    def back_to(self, entry):
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
        )

    def refuse_all_but_reviewers_posting(self, request):
        if request.method != "POST" or not may_review(request.user, self.model):
            raise PermissionDenied

    def schedule_view(self, request, object_id, step):
        self.refuse_all_but_reviewers_posting(request)
        if step not in Schedule.Step.values:
            raise Http404
        entry = self.entry_or_404(request, object_id)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Give the date and time it should happen.", messages.ERROR)
            return self.back_to(entry)
        try:
            scheduled = schedule(
                entry,
                step,
                form.cleaned_data["at"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (WorkflowError, PermissionDenied) as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            label = scheduled.get_step_display()
            self.message_user(request, f"Scheduled: {label} at {when(scheduled.at)}.")
        return self.back_to(entry)

    def cancel_schedule_view(self, request, object_id, schedule_id):
        self.refuse_all_but_reviewers_posting(request)
        entry = self.entry_or_404(request, object_id)
        scheduled = Schedule.objects.of(entry).waiting().filter(pk=schedule_id).first()
        if scheduled is None:
            raise Http404
        cancel(scheduled, user=request.user)
        self.message_user(request, f"Cancelled: {scheduled.get_step_display()}.")
        return self.back_to(entry)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        saved = obj is not None and obj.pk is not None
        waiting = Schedule.objects.of(obj).waiting().select_related("scheduled_by") if saved else []
        context["schedules"] = [(scheduled, when(scheduled.at)) for scheduled in waiting]
        context["schedulable"] = [
            (step, Schedule.Step(step).label) for step in schedulable_steps(request.user, obj)
        ]
        context["time_zone"] = timezone.get_current_timezone_name()
        return super().render_change_form(request, context, add, change, form_url, obj)
