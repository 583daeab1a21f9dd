"""Who else is editing: opening an entry's change form records the editor as editing it, and
the form names everyone else who opened it recently and has not saved since ("rita has been
editing this since 10:02"), so two editors learn of each other before one's save is refused as
stale (Wagtail's editing sessions are the model). A save forgets the saver."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from cooperation.models import EditingPresence

# Without a script to say the form is still open, an opening counts for this long.
RECENT = datetime.timedelta(minutes=30)


def where(entry):
    content_type = ContentType.objects.get_for_model(entry, for_concrete_model=False)
    return {"content_type": content_type, "object_id": entry.pk}


def opened(entry, user):
    """Record that `user` has the entry's form open; who else has, as [(user, since)]."""
    now = timezone.now()
    rows = EditingPresence.objects.filter(**where(entry))
    mine = rows.filter(user=user)
    if not mine.filter(seen_at__gte=now - RECENT).update(seen_at=now):
        mine.delete()  # an old opening is no longer an editing session
        try:
            with transaction.atomic():
                EditingPresence.objects.create(**where(entry), user=user, since=now, seen_at=now)
        except IntegrityError:  # the same user opening it twice at once
            pass
    others = rows.exclude(user=user).filter(seen_at__gte=now - RECENT).select_related("user")
    return [(presence.user, presence.since) for presence in others.order_by("since")]


def saved(entry, user):
    EditingPresence.objects.filter(**where(entry), user=user).delete()
