"""What the atlas's admin pages ask of the signed-in user, so that they link only to what the
user may open."""

from django import template

from cooperation.editorial.queue import review_queue, scheduled_steps
from cooperation.editorial.workflow import reviews_anything

register = template.Library()


@register.filter
def may_audit(user):
    """Whether `user` may open the reviewers' page of recent changes."""
    return reviews_anything(user)


@register.simple_tag
def review_queue_of(user):
    """(waiting for the user's review, sent back to the user): cooperation.editorial.queue."""
    return review_queue(user)


@register.simple_tag
def scheduled_steps_of(user):
    """The steps scheduled on entries the user reviews: cooperation.editorial.queue."""
    return scheduled_steps(user)


@register.filter
def verbose_name(record):
    """What kind of record `record` is, in words ("case study")."""
    return record._meta.verbose_name
