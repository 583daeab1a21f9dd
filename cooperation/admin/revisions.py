"""Changes to published entries in the admin: an editor's save of a published entry
becomes a revision that waits for review (cooperation.editorial.revisions); the form then shows
and edits that revision; the change list says "Published, with unpublished changes"; reviewers
publish, send back or discard the changes from the entry's workflow box."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from cooperation.editorial.review import change_steps
from cooperation.editorial.revisions import is_revised, open_revision, previewing, save_as_revision
from cooperation.editorial.workflow import may_review
from cooperation.models import Revision, Status

UNPUBLISHED_CHANGES = "Published, with unpublished changes"


def rendered(response):
    """Render a template response now, while the database shows what it should show."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


class UnpublishedChangesFilter(admin.SimpleListFilter):
    title = "changes waiting for review"
    parameter_name = "changes"

    def lookups(self, request, model_admin):
        return [("pending", "Waiting for review"), ("sent_back", "Sent back")]

    def queryset(self, request, queryset):
        if self.value() not in {"pending", "sent_back"}:
            return queryset
        content_type = ContentType.objects.get_for_model(queryset.model)
        revisions = Revision.objects.filter(content_type=content_type, state=self.value())
        return queryset.filter(pk__in=revisions.values("object_id"))


class RevisionsAdminMixin:
    """For PublishableAdmin: who saves a published entry without the review right makes a
    revision; everyone who opens an entry with an open revision sees and edits the revision."""

    def get_queryset(self, request):
        content_type = ContentType.objects.get_for_model(self.model)
        pending = Revision.objects.open().filter(
            content_type=content_type, object_id=OuterRef("pk")
        )
        return super().get_queryset(request).annotate(has_open_revision=Exists(pending))

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return ["workflow_status" if name == "status" else name for name in names]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), UnpublishedChangesFilter]

    @admin.display(description="status", ordering="status")
    def workflow_status(self, obj):
        if obj.status == Status.PUBLISHED and getattr(obj, "has_open_revision", False):
            return UNPUBLISHED_CHANGES
        return obj.get_status_display()

    def saves_as_revision(self, request, entry, revision):
        """Whether this request's save must wait for review rather than go live."""
        if request.method != "POST" or entry is None:
            return False
        return revision is not None or (
            is_revised(entry) and not may_review(request.user, self.model)
        )

    def as_revision(self, request, object_id, view):
        """Run `view()` (the change form) on the entry as its open revision shows it, and keep
        what a POST saves as that revision."""
        entry = self.get_object(request, unquote(object_id)) if object_id else None
        revision = open_revision(entry)
        if not self.saves_as_revision(request, entry, revision):
            if revision is None:
                return view()
            with previewing(revision):
                return rendered(view())
        request.saves_as_revision = True
        responses = []

        def change():
            responses.append(rendered(view()))
            return getattr(request, "saved_entry", False)

        try:
            saved, _ = save_as_revision(entry, user=request.user, change=change)
        finally:
            request.saves_as_revision = False  # later messages (a workflow step's) are their own
        if saved is not None:
            self.log_change(request, entry, "Saved changes for review.")
        return responses[0]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        parent = super().changeform_view
        return self.as_revision(
            request, object_id, lambda: parent(request, object_id, form_url, extra_context)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request.saved_entry = True

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        revised = getattr(request, "saves_as_revision", False) and getattr(
            request, "saved_entry", False
        )
        if revised and level == messages.SUCCESS:
            # The form's "changed successfully" would claim the change is live.
            message = (
                "Your changes are saved and wait for review. The public sees the published "
                "version until a reviewer publishes them."
            )
        return super().message_user(request, message, level, *args, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        revision = open_revision(obj) if obj is not None and obj.pk else None
        context["revision"] = revision
        context["change_steps"] = change_steps(request.user, revision)
        return super().render_change_form(request, context, add, change, form_url, obj)
