"""What waits for whom: the entries and changes a reviewer has to decide, and the work sent back
to its author, with who, when and the reviewer's comment (the admin index shows both). A fixed
number of queries: one per kind of entry, and one for the revisions with their entries."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from cooperation.editorial.workflow import may_edit, may_review, step_reasons
from cooperation.models import Revision, Schedule, Status, publishable_models

SHOWN = 20  # per list; the count says how many there are in all


@dataclass(frozen=True)
class QueueItem:
    entry: object
    what: str  # "the case study “ISAF”" or "changes to the case study “ISAF”"
    who: str
    when: datetime | None
    note: str

    @property
    def url(self):
        opts = self.entry._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.entry.pk])


def described(entry, *, changes=False):
    what = f"the {entry._meta.verbose_name} “{entry}”"
    return f"changes to {what}" if changes else what


def latest_in_history(model, rows, value):
    """A subquery: `value` of the entry's latest history row among `rows`."""
    history = model.history.model.objects.filter(id=OuterRef("pk")).filter(rows)
    return Subquery(history.order_by("-history_date", "-history_id").values(value)[:1])


def submitted_entries(user):
    submitted = step_reasons(only="submit")
    for model in publishable_models():
        if not may_review(user, model):
            continue
        entries = model.objects.filter(status=Status.IN_REVIEW).annotate(
            submitted_by=latest_in_history(model, submitted, "history_user__username"),
            submitted_at=latest_in_history(model, submitted, "history_date"),
        )
        for entry in entries.order_by("-updated_at")[:SHOWN]:
            yield QueueItem(
                entry, described(entry), entry.submitted_by or "", entry.submitted_at, ""
            )


def entries_sent_back(user):
    edits, sent_back = ~step_reasons(), step_reasons(only="send_back")
    for model in publishable_models():
        if not may_edit(user, model):
            continue
        entries = (
            model.objects.filter(status=Status.DRAFT)
            .exclude(review_note="")
            .annotate(
                author_id=latest_in_history(model, edits, "history_user_id"),
                sent_back_by=latest_in_history(model, sent_back, "history_user__username"),
            )
            .filter(author_id=user.pk)
        )
        for entry in entries.order_by("-updated_at")[:SHOWN]:
            yield QueueItem(
                entry,
                described(entry),
                entry.sent_back_by or "",
                entry.updated_at,
                entry.review_note,
            )


def revisions(state, **filters):
    found = Revision.objects.filter(state=state, **filters).select_related(
        "edited_by", "decided_by"
    )
    return found.prefetch_related("entry").order_by("-updated_at")[:SHOWN]


def review_queue(user):
    """(waiting for the user's review, sent back to the user), each a list of QueueItems,
    newest first."""
    waiting = list(submitted_entries(user))
    for revision in revisions(Revision.State.PENDING):
        entry = revision.entry
        if entry is not None and may_review(user, type(entry)):
            who = revision.edited_by.get_username() if revision.edited_by else ""
            waiting.append(
                QueueItem(entry, described(entry, changes=True), who, revision.updated_at, "")
            )
    sent_back = list(entries_sent_back(user))
    for revision in revisions(Revision.State.SENT_BACK, edited_by=user):
        if revision.entry is not None:
            who = revision.decided_by.get_username() if revision.decided_by else ""
            sent_back.append(
                QueueItem(
                    revision.entry,
                    described(revision.entry, changes=True),
                    who,
                    revision.decided_at,
                    revision.review_note,
                )
            )
    newest_first = {"key": lambda item: (item.when is not None, item.when or 0), "reverse": True}
    return sorted(waiting, **newest_first), sorted(sent_back, **newest_first)


def scheduled_steps(user):
    """The workflow steps scheduled on entries the user reviews, soonest first."""
    reviewed = [
        ContentType.objects.get_for_model(model)
        for model in publishable_models()
        if may_review(user, model)
    ]
    waiting = Schedule.objects.waiting().filter(content_type__in=reviewed)
    items = []
    for scheduled in waiting.select_related("scheduled_by").prefetch_related("entry")[:SHOWN]:
        if scheduled.entry is not None:
            who = scheduled.scheduled_by.get_username() if scheduled.scheduled_by else ""
            what = f"{scheduled.get_step_display()}: {described(scheduled.entry)}"
            items.append(QueueItem(scheduled.entry, what, who, scheduled.at, ""))
    return items
