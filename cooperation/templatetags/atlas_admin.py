"""What the atlas's admin pages ask of the signed-in user, so that they link only to what the
user may open."""

from django import template

from cooperation.editorial.workflow import reviews_anything

register = template.Library()


@register.filter
def may_audit(user):
    """Whether `user` may open the reviewers' page of recent changes."""
    return reviews_anything(user)
