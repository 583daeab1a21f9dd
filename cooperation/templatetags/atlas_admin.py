"""What the atlas's admin pages ask of the signed-in user, so that they link only to what the
user may open."""

from django import template

from cooperation.admin.views import may_audit as user_may_audit

register = template.Library()


@register.filter
def may_audit(user):
    """Whether `user` may open the reviewers' page of recent changes."""
    return user_may_audit(user)
