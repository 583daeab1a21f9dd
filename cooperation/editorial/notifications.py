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


def messages_for(entry, name, *, user, comment, author):
    """(subject, body, sender, recipients) for each mail that the step `name` sends."""
    kind = entry._meta.verbose_name
    who = user.get_full_name() or user.get_username()
    link = f"\n\nOpen it: {change_page(entry)}\n"
    if name == "submit":
        recipients = addressed(reviewers_of(entry, except_user=user))
        subject = f"Waiting for your review: the {kind} “{entry}”"
        body = f"{who} submitted the {kind} “{entry}” for review.{link}"
    elif author is None or author.pk == user.pk or not author.email:
        return []
    elif name == "send_back":
        recipients = [author.email]
        subject = f"Sent back to you: the {kind} “{entry}”"
        body = f"{who} sent the {kind} “{entry}” back to draft:\n\n{comment.strip()}{link}"
    elif name == "publish":
        recipients = [author.email]
        subject = f"Published: the {kind} “{entry}”"
        body = f"{who} published the {kind} “{entry}”; the public sees it now.{link}"
    else:
        return []
    if not recipients:
        return []
    return [(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)]


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
