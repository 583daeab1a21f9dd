"""Mail about workflow steps: reviewers learn that an entry waits for them, authors that theirs
was sent back or published. Sent through Django's mail framework once the step has committed, so
a step that fails tells nobody anything."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

logger = logging.getLogger(__name__)


def change_page(entry):
    opts = entry._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    return f"{settings.SITE_ORIGIN}{path}"


def reviewers_of(entry, *, except_user):
    opts = entry._meta
    users = get_user_model().objects.with_perm(
        f"{opts.app_label}.review_{opts.model_name}",
        backend="django.contrib.auth.backends.ModelBackend",  # axes' backend grants nothing
    )
    return users.exclude(pk=except_user.pk).exclude(email="")


def addressed(users):
    return sorted({user.email for user in users})


# Per step: whom it concerns ("reviewers" or "author"), the subject and the first line of the
# mail, with {who}, {kind} and {entry} filled in.
MAILS = {
    "submit": (
        "reviewers",
        "Waiting for your review: the {kind} “{entry}”",
        "{who} submitted the {kind} “{entry}” for review.",
    ),
    "send_back": (
        "author",
        "Sent back to you: the {kind} “{entry}”",
        "{who} sent the {kind} “{entry}” back to draft:",
    ),
    "publish": (
        "author",
        "Published: the {kind} “{entry}”",
        "{who} published the {kind} “{entry}”; the public sees it now.",
    ),
    "submit_changes": (
        "reviewers",
        "Changes waiting for your review: the {kind} “{entry}”",
        "{who} changed the published {kind} “{entry}”; the public sees the changes once a "
        "reviewer publishes them.",
    ),
    "send_back_changes": (
        "author",
        "Changes sent back to you: the {kind} “{entry}”",
        "{who} sent your changes to the {kind} “{entry}” back:",
    ),
    "publish_changes": (
        "author",
        "Changes published: the {kind} “{entry}”",
        "{who} published your changes to the {kind} “{entry}”; the public sees them now.",
    ),
}


def messages_for(entry, name, *, user, comment, author):
    """(subject, body, sender, recipients) for each mail that the step `name` sends."""
    if name not in MAILS:
        return []
    audience, subject, opening = MAILS[name]
    if audience == "reviewers":
        recipients = addressed(reviewers_of(entry, except_user=user))
    elif author is None or author.pk == user.pk or not author.email:
        return []
    else:
        recipients = [author.email]
    if not recipients:
        return []
    words = {
        "who": user.get_full_name() or user.get_username(),
        "kind": entry._meta.verbose_name,
        "entry": entry,
    }
    body = opening.format(**words)
    if comment.strip():
        body += f"\n\n{comment.strip()}"
    body += f"\n\nOpen it: {change_page(entry)}\n"
    return [(subject.format(**words), body, settings.DEFAULT_FROM_EMAIL, recipients)]


def notify_on_commit(entry, name, *, user, comment, author_id):
    """Send the step's mail once the transaction that made it commits."""

    def send():
        author = get_user_model().objects.filter(pk=author_id).first() if author_id else None
        mails = messages_for(entry, name, user=user, comment=comment, author=author)
        if not mails:
            return
        try:
            send_mass_mail(mails, fail_silently=False)
        except OSError:  # smtplib's errors too; the step itself has been made and stays made
            logger.exception("Could not send the mail about “%s” (%s)", entry, name)

    transaction.on_commit(send)
