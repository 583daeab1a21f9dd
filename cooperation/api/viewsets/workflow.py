"""The editorial workflow through the API: an entry's status moves only by these steps
(`POST .../<slug>/submit/`, `publish/`, `send-back/`, `archive/`), each with the ETag the client
last read, under the same rules as the admin's buttons (cooperation.editorial.workflow). On a
published entry with changes waiting for review, `publish/` and `send-back/` decide those changes
(cooperation.editorial.review), and `discard-changes/` drops them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action

from cooperation.api.errors import Conflict
from cooperation.editorial.review import take_change_step
from cooperation.editorial.revisions import open_revision
from cooperation.editorial.workflow import (
    TRANSITIONS,
    MissingComment,
    WorkflowError,
    transition,
)
from cooperation.limits import REVIEW_NOTE_MAX_LENGTH


class WorkflowStepSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REVIEW_NOTE_MAX_LENGTH,
        help_text="What needs to change (required to send back), or why a published entry is "
        "withdrawn (required to archive it; shown publicly); kept in the entry's history.",
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag you last read; 412 if the entry changed since.",
)

# On an entry with changes waiting for review, these steps decide the changes instead.
ON_CHANGES = {
    "publish": " On a published entry with changes waiting for review: publishes them, all at "
    "once (409 if the entry changed since they were saved).",
    "send_back": " On a published entry with changes waiting for review: sends them back.",
}


def step_schema(name):
    step = TRANSITIONS[name]
    who = "Reviewers" if step.needs_review_right else "Editors"
    sources = ", ".join(sorted(str(source).replace("_", " ") for source in step.sources))
    return extend_schema(
        summary=f"{step.label} (workflow)",
        description=f"{who} only; from {sources}. 409 names what stands in the way."
        + ON_CHANGES.get(name, ""),
        request=WorkflowStepSerializer,
        parameters=[IF_MATCH],
        tags=["workflow"],
    )


class WorkflowActionsMixin:
    """The workflow's steps on an entry of a publishable resource."""

    @step_schema("submit")
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, *args, **kwargs):
        return self.workflow_step(request, "submit")

    @step_schema("publish")
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request, *args, **kwargs):
        return self.workflow_step(request, "publish")

    @step_schema("send_back")
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, *args, **kwargs):
        return self.workflow_step(request, "send_back")

    @step_schema("archive")
    @action(detail=True, methods=["post"], url_path="archive")
    def archive(self, request, *args, **kwargs):
        return self.workflow_step(request, "archive")

    @extend_schema(
        summary="Discard the changes waiting for review (workflow)",
        description="Reviewers, or the changes' author. 409 if no changes wait.",
        request=WorkflowStepSerializer,
        parameters=[IF_MATCH],
        tags=["workflow"],
    )
    @action(detail=True, methods=["post"], url_path="discard-changes")
    def discard_changes(self, request, *args, **kwargs):
        return self.workflow_step(request, "discard_changes")

    def step_on(self, instance, name):
        """What `name` acts on: the entry, or its changes waiting for review."""
        revision = open_revision(instance)
        if name == "archive" or (revision is None and name != "discard_changes"):
            return lambda **kwargs: transition(
                instance, name, expected_version=instance.version, **kwargs
            )
        if revision is None:
            raise Conflict(f"No changes to “{instance}” wait for review.")
        if name == "submit":
            raise Conflict(f"Changes to “{instance}” already wait for review.")
        if name != "discard_changes":
            name = f"{name}_changes"
        return lambda **kwargs: take_change_step(revision, name, **kwargs)

    def workflow_step(self, request, name):
        instance = self.get_object()
        self.check_unchanged(request, instance)
        body = WorkflowStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = self.step_on(instance, name)
        try:
            with transaction.atomic():
                step(user=request.user, comment=body.validated_data.get("comment", ""))
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except MissingComment as error:
            raise exceptions.ValidationError({"comment": [str(error)]}) from error
        except WorkflowError as error:
            raise Conflict(str(error)) from error
        instance.refresh_from_db()
        return self.entry_response(instance, status.HTTP_200_OK)
