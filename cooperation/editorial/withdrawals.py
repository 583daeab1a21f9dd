"""Withdrawing a public entry leaves a trace (cooperation.models.Withdrawal): archiving a published
entry records when, by whom and why (the reviewer's note, required); publishing it again restores
it; deleting it afterwards keeps the trace. A published entry is never deleted outright: it is
archived first, with its reason. A slug once withdrawn is never given to another entry
(PublishableModel.validate_unique)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from django.utils import timezone

from cooperation.models import PublishableModel, Status, Withdrawal

PUBLISHED_NOT_DELETED = (
    "“{entry}” is published: archive it first, saying why it is withdrawn (its public page will "
    "show the reason); an archived entry may then be deleted."
)


def may_delete(entry):
    """Whether `entry` may be deleted outright: not while it is published."""
    return entry is None or entry.status != Status.PUBLISHED


def content_type_of(entry):
    return ContentType.objects.get_for_model(type(entry))


def withdraw(entry, *, user, reason):
    now = timezone.now()
    Withdrawal.objects.update_or_create(
        content_type=content_type_of(entry),
        object_id=entry.pk,
        defaults={
            "slug": entry.slug,
            "name": str(entry)[:300],
            "how": Withdrawal.How.ARCHIVED,
            "reason": reason,
            "withdrawn_at": now,
            "withdrawn_by": user,
            "restored_at": None,
            "updated_at": now,
        },
    )


def restore(entry):
    """The entry is public again: its withdrawal no longer stands."""
    now = timezone.now()
    Withdrawal.objects.filter(
        content_type=content_type_of(entry), object_id=entry.pk, restored_at__isnull=True
    ).update(restored_at=now, updated_at=now)


def entry_deleted(sender, instance, **kwargs):
    """post_delete of an entry: a withdrawn entry's trace outlives it."""
    Withdrawal.objects.filter(
        content_type=content_type_of(instance), object_id=instance.pk, restored_at__isnull=True
    ).update(how=Withdrawal.How.DELETED, updated_at=timezone.now())


def connect_withdrawal_signals(models):
    for model in models:
        if issubclass(model, PublishableModel):
            post_delete.connect(
                entry_deleted, sender=model, dispatch_uid=f"atlas-withdrawn-{model._meta.label}"
            )
