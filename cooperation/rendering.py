"""Rich text: editors write Markdown; it is rendered to HTML and then sanitised, so nothing an
editor (or an attacker with an editor's account) writes can run script in a reader's browser."""

import markdown
import nh3
from django.utils.safestring import mark_safe

from cooperation import references

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text, records=None):
    """Sanitised HTML, safe to show, for Markdown `text`; `records` ({(kind, slug): record}, see
    cooperation.references) turns `[[kind:slug]]` into links to those records."""
    extensions = ["tables", "sane_lists"]
    if records is not None:
        extensions.append(references.ReferenceExtension(records))
    html = markdown.markdown(text or "", extensions=extensions)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def render_with_references(text, user):
    """The HTML of `text` with its references to records `user` may see as links, and those
    records grouped by kind: [(kind, [record, ...])]. One query per kind of record referred to."""
    found = references.parse(text)
    records = references.resolve_visible(found, user)
    return render_markdown(text, records), references.grouped(found, records)
