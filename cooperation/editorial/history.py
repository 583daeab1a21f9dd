"""One history entry per save: every entry (actor, mechanism, challenge, case study, topic)
written within a recording gets one version (cooperation.models.EntryVersion) when the recording
ends, however many of its rows the save touched: its own, its many-to-many links, its claims and
their links. A version holds the whole entry, who saved it, the editor's change note and what the
save did besides editing (workflow steps, a revert, changes published).

Recordings are opened by HistoryRecordingMiddleware around every request that may write (admin
forms, bulk actions, the API, imports in the admin), and by the service functions that write
outside requests (workflow steps, publishing changes, reverting, imports, scheduled steps); one
opened inside another joins it. Signal handlers note which entries a recording touched.

An entry saved before whole versions were kept (the fixtures, say) has no version yet: the first
time a recording touches it, it is read as it stood before the change, and recorded as version 1
if the change altered it. Saves that change nothing (a form saved unchanged, a preview of changes
waiting for review, which runs in a rolled-back savepoint) record nothing."""

import functools
import json
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone

from cooperation.editorial.snapshots import owning_entries, snapshot
from cooperation.models import EntryVersion, PublishableModel, Status

# Bookkeeping that changes with every save: not a change a reader would call one.
BOOKKEEPING = {"version", "updated_at", "created_at"}

CHANGE_NOTE_FIELD = "change_note"
CHANGE_NOTE_HEADER = "Change-Note"
CHANGE_NOTE_MAX_LENGTH = 500

BEFORE_VERSIONS = "As it stood before its history was kept whole."

_current = ContextVar("atlas_history_recording", default=None)


def stored(content):
    """`content` as the database gives it back: dates as ISO strings."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def comparable(content):
    """The content without bookkeeping, links in a fixed order: equal when nothing changed."""
    records = []
    for record in content or ():
        fields = {
            name: sorted(value) if isinstance(value, list) else value
            for name, value in record["fields"].items()
            if name not in BOOKKEEPING
        }
        records.append((record["model"], record["pk"], sorted(fields.items())))
    return sorted(records, key=repr)


def resolve(value):
    return value() if callable(value) else value


def entry_key(entry):
    return (type(entry), entry.pk)


class Recording:
    """The entries written since the recording began, and what to say of each."""

    def __init__(self, user, note):
        self.user = user
        self.note = note
        self.touched = {}  # key -> None, in the order first touched
        self.created = set()  # keys of entries created within the recording
        self.baselines = {}  # key -> content before the first change, if it had no version
        self.actions = {}  # key -> [sentence]
        self.notes = {}  # key -> a change note for this entry only
        self.fallback_note = ""  # said by the code that wrote, if the writer said nothing

    def touch(self, entry, *, created=False):
        key = entry_key(entry)
        if created:
            self.created.add(key)
        if key in self.touched:
            return
        self.touched[key] = None
        if created:
            return
        content_type = ContentType.objects.get_for_model(type(entry), for_concrete_model=False)
        if not EntryVersion.objects.filter(content_type=content_type, object_id=entry.pk).exists():
            self.baselines[key] = stored(snapshot(entry))

    def saved_by(self):
        user = resolve(self.user)
        return user if user is not None and user.is_authenticated else None

    def change_note(self):
        note = (resolve(self.note) or "").strip() or self.fallback_note
        return note[:CHANGE_NOTE_MAX_LENGTH]

    def flush(self):
        user = self.saved_by()
        note = self.change_note()
        for key in self.touched:
            record_version(
                *key,
                user=user,
                note=self.notes.get(key, note),
                actions=self.actions.get(key, []),
                baseline=self.baselines.get(key),
                created=key in self.created,
            )


@contextmanager
def recording(*, user=None, note=""):
    """Within it, each entry written gets one version when it ends, in the same transaction.
    `user` and `note` may be callables, read at the end (a request's user is known late)."""
    outer = _current.get()
    if outer is not None:
        outer.fallback_note = outer.fallback_note or note
        yield outer
        return
    current = Recording(user, note)
    token = _current.set(current)
    try:
        with transaction.atomic():
            yield current
            current.flush()
    finally:
        _current.reset(token)


def records_history(function):
    """Runs `function(..., user=...)` within a recording by that user."""

    @functools.wraps(function)
    def wrapper(*args, user, **kwargs):
        with recording(user=user):
            return function(*args, user=user, **kwargs)

    return wrapper


def note_action(entry, sentence, *, change_note=None):
    """Say what the current save did to `entry` (a workflow step, a revert); with
    `change_note`, that is the version's note (a published revision's own)."""
    current = _current.get()
    if current is None:
        return
    current.touch(entry)
    key = entry_key(entry)
    current.actions.setdefault(key, []).append(sentence)
    if change_note:
        current.notes[key] = change_note


def current_note():
    """The change note of the save under way, if any."""
    current = _current.get()
    return current.change_note() if current is not None else ""


def record_version(model, pk, *, user, note, actions, baseline, created):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    versions = EntryVersion.objects.filter(content_type=content_type, object_id=pk)
    # Locking the entry's row numbers its versions one after another (SQLite writes one at a time).
    entry = model._default_manager.select_for_update().filter(pk=pk).first()
    last = versions.order_by("-number").first()
    new = {"content_type": content_type, "object_id": pk, "saved_by": user, "note": note}
    if entry is None:
        if last is None or last.content is None:
            return None  # created and deleted within one save, or never recorded
        return EntryVersion.objects.create(
            **new,
            number=last.number + 1,
            label=last.label,
            slug=last.slug,
            content=None,
            status="deleted",
            public=last.status == Status.PUBLISHED,
            actions="\n".join([*actions, "Deleted."]),
        )
    content = stored(snapshot(entry))
    if last is None and baseline is not None:
        if comparable(baseline) == comparable(content) and not actions:
            return None
        last = EntryVersion.objects.create(
            content_type=content_type,
            object_id=pk,
            number=1,
            label=baseline[0]["fields"].get("title") or baseline[0]["fields"].get("name") or "",
            slug=baseline[0]["fields"].get("slug", ""),
            content=baseline,
            status=baseline[0]["fields"].get("status", ""),
            saved_at=baseline[0]["fields"].get("updated_at") or timezone.now(),
            actions=BEFORE_VERSIONS,
        )
    same = last is not None and comparable(last.content) == comparable(content)
    if same and not actions:
        return None
    was_public = last is not None and last.status == Status.PUBLISHED
    return EntryVersion.objects.create(
        **new,
        number=last.number + 1 if last else 1,
        label=str(entry)[:300],
        slug=entry.slug,
        content=content,
        status=entry.status,
        public=(entry.status == Status.PUBLISHED and not (was_public and same))
        or (was_public and entry.status != Status.PUBLISHED),
        actions="\n".join(["Created.", *actions] if created and last is None else actions),
    )


# Signals: which entries a recording touched.


def touch_owners(record):
    current = _current.get()
    if current is not None:
        for entry in owning_entries(record):
            current.touch(entry)


def row_changing(sender, instance, raw=False, **kwargs):
    # A new entry is noted once saved, when it has its id.
    if not raw and not (isinstance(instance, PublishableModel) and instance._state.adding):
        touch_owners(instance)


def row_saved(sender, instance, created, raw=False, **kwargs):
    current = _current.get()
    if current is not None and created and not raw and isinstance(instance, PublishableModel):
        current.touch(instance, created=True)


def links_changing(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("pre_") or _current.get() is None:
        return
    if not reverse:
        touch_owners(instance)
        return
    # The other side's rows change, e.g. source.case_studies.add(...).
    if pk_set:
        others = model._default_manager.filter(pk__in=pk_set)
    else:  # a reverse clear
        name = forward_field(sender, model)
        others = model._default_manager.filter(**{name: instance}) if name else ()
    for record in others:
        touch_owners(record)


def forward_field(through, model):
    """The name of `model`'s many-to-many field that `through` stores."""
    for field in model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    return None


def has_history(model):
    """Entries, and the claims that are part of them."""
    if issubclass(model, PublishableModel):
        return True
    return any(
        field.many_to_one
        and field.remote_field.get_accessor_name()
        in getattr(field.related_model, "revised_relations", ())
        for field in model._meta.concrete_fields
    )


def connect_history_signals(models):
    """Note writes to entries and their claims among `models` in the current recording."""
    for model in filter(has_history, models):
        uid = f"atlas-history-{model._meta.label_lower}"
        pre_save.connect(row_changing, sender=model, dispatch_uid=f"{uid}-save")
        post_save.connect(row_saved, sender=model, dispatch_uid=f"{uid}-saved")
        pre_delete.connect(row_changing, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(links_changing, sender=through, dispatch_uid=f"{uid}-{field.name}")


class HistoryRecordingMiddleware:
    """Every request that may write is one recording: the admin's form with its inlines and its
    workflow button, a bulk action, an API write. The change note comes from the admin form's
    `change_note` field or the API's `Change-Note` header (percent-encoded UTF-8)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return self.get_response(request)
        with recording(user=lambda: getattr(request, "user", None), note=lambda: note_of(request)):
            return self.get_response(request)


def note_of(request):
    return request.POST.get(CHANGE_NOTE_FIELD) or header_note(request)


def header_note(request):
    return unquote(request.headers.get(CHANGE_NOTE_HEADER, ""))
