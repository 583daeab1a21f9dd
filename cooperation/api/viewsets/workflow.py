"""The editorial workflow through the API: an entry's status moves only by these steps
(`POST .../<slug>/submit/`, `publish/`, `send-back/`, `archive/`), each with the ETag the client
last read, under the same rules as the admin's buttons (cooperation.editorial.workflow)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action

from cooperation.api.errors import Conflict
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
        help_text="What needs to change (required to send back); kept in the entry's history.",
    )


def step_schema(name):
    step = TRANSITIONS[name]
    who = "Reviewers" if step.needs_review_right else "Editors"
    sources = ", ".join(sorted(str(source).replace("_", " ") for source in step.sources))
    return extend_schema(
        summary=f"{step.label} (workflow)",
        description=f"{who} only; from {sources}. 409 names what stands in the way.",
        request=WorkflowStepSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="The ETag you last read; 412 if the entry changed since.",
            )
        ],
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

    def workflow_step(self, request, name):
        instance = self.get_object()
        self.check_unchanged(request, instance)
        body = WorkflowStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                transition(
                    instance,
                    name,
                    user=request.user,
                    comment=body.validated_data.get("comment", ""),
                    expected_version=instance.version,
                )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except MissingComment as error:
            raise exceptions.ValidationError({"comment": [str(error)]}) from error
        except WorkflowError as error:
            raise Conflict(str(error)) from error
        return self.entry_response(instance, status.HTTP_200_OK)
