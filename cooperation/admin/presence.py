"""The change form says who else has the entry open (cooperation.editorial.presence)."""

from django.contrib.admin.utils import unquote

from cooperation.editorial.presence import opened, saved


class PresenceAdminMixin:
    """For PublishableAdmin, outermost: the presence is recorded outside the savepoints in which
    the form may be shown or saved (cooperation.admin.revisions), so it is not rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id)) if object_id else None
        editing = entry is not None and request.method == "GET"
        if editing and self.has_change_permission(request, entry):
            extra_context = {**(extra_context or {}), "also_editing": opened(entry, request.user)}
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if entry is not None and getattr(request, "saved_entry", False):
            saved(entry, request.user)
        return response
