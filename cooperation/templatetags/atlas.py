import re

from django import template
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cooperation.models.claims import parse_locators
from cooperation.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown rendered and sanitised (see cooperation.rendering)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced, e.g. the page number."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@register.filter
def highlight(text, words):
    """The text, escaped, with each searched word (and longer words it begins) marked."""
    if not words:
        return escape(text)
    pattern = re.compile(r"\b((?:" + "|".join(map(re.escape, words)) + r")\w*)", re.IGNORECASE)
    parts = pattern.split(str(text))
    # split() with one group alternates: text, match, text, match, ..., text
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
            for index, part in enumerate(parts)
        )
    )


PRECISION_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.filter
def at_precision(value, precision):
    """A date written only as far as its sources give it: "5 March 1946", "March 1946", "1946"."""
    if value is None:
        return ""
    return dateformat.format(value, PRECISION_FORMATS.get(precision, "j F Y"))


@register.filter
def where_in(claim, source):
    """Where in `source` the claim stands, from the claim's locators ("" if it does not say)."""
    return parse_locators(claim.locators).get(source.slug, "")
