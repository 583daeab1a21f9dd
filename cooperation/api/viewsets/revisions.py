"""Writes through the API under the admin's rule: a change to a published entry, or to one of
its claims, by someone without the right to publish it (or while changes to it already wait for
review) is stored as a revision that waits for review (cooperation.editorial.revisions). The
answer is 202 Accepted, saying so; the public keeps reading the published entry."""

from django.utils import timezone
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from cooperation.editorial.revisions import open_revision, save_as_revision, waits_for_review
from cooperation.editorial.snapshots import owner_field, owning_entry
from cooperation.models import Revision, sees_drafts

WAITING_MESSAGE = (
    "Your change is saved with the changes to “{entry}” that wait for review. The public sees "
    "the published version until a reviewer publishes them (POST to the entry's publish/; "
    "send-back/ and discard-changes/ decide otherwise)."
)


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    edits = serializers.IntegerField(help_text="How many saves the changes hold.")
    updated_at = serializers.DateTimeField()
    review_note = serializers.CharField(help_text="The reviewer's note on sending them back.")


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    revision = RevisionSerializer()


class ReviewedWritesMixin:
    """For AtlasViewSet: which entry a record belongs to, and writes that wait for review."""

    @property
    def reviewed_with_entry(self):
        """Whether the records are claims of an entry, revised with it."""
        return owner_field(self.model) is not None

    def owning_entry(self, instance):
        return owning_entry(instance)

    def owning_entry_of_new(self, validated_data):
        """The entry a record about to be created from `validated_data` would be part of."""
        field = owner_field(self.model)
        return validated_data.get(field.name) if field is not None else None

    def waits_for_review(self, entry):
        return waits_for_review(entry, self.request.user)

    def pending_changes_marker(self, instance):
        """For the ETag of those who may change the entry: its changes waiting for review, so
        that of two editors writing them from the same read, the second is refused (412) as
        with the live entry."""
        entry = self.owning_entry(instance)
        if entry is None or not sees_drafts(self.user, type(entry)):
            return None
        return Revision.objects.of(entry).open().values_list("pk", "edits").first()

    def pending_changes_since(self, instance):
        """ "eddie saved changes to the case study “ISAF” that wait for review, at …", if
        those are newer than the live entry; for the refusal of a write from an older read."""
        entry = self.owning_entry(instance)
        if entry is None or not sees_drafts(self.user, type(entry)):
            return None
        revision = open_revision(entry)
        if revision is None or revision.updated_at < entry.updated_at:
            return None
        who = revision.edited_by or "someone else"
        when = timezone.localtime(revision.updated_at).strftime("%d %b %Y %H:%M")
        kind = entry._meta.verbose_name
        return f"{who} saved changes to the {kind} “{entry}” that wait for review, at {when}"

    def accepted(self, entry, revision):
        body = {
            "detail": WAITING_MESSAGE.format(entry=entry),
            "revision": RevisionSerializer(revision).data,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def as_revision(self, entry, change):
        revision, _ = save_as_revision(entry, user=self.request.user, change=change)
        return self.accepted(entry, revision)

    def as_the_revision_shows_it(self, instance):
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        if current is None:
            raise exceptions.NotFound(
                f"The changes waiting for review remove this {instance._meta.verbose_name}."
            )
        return current

    def update_as_revision(self, request, instance, entry, partial):

        def change():
            current = self.as_the_revision_shows_it(instance)
            serializer = self.get_serializer(current, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            serializer.context["expected_version"] = current.version
            serializer.save()
            return True

        return self.as_revision(entry, change)

    def destroy_as_revision(self, request, instance, entry):

        def change():
            current = self.as_the_revision_shows_it(instance)
            current._history_user = request.user
            current.delete()
            return True

        return self.as_revision(entry, change)
