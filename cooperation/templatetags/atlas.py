from django import template
from django.utils.safestring import mark_safe

from cooperation.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered and sanitised (see cooperation.rendering)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above
