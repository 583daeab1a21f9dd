"""References from rich text to the atlas's records: `[[actor:nato]]` or `[[actor:nato|the
Alliance]]`.

A reference names a kind and a slug; the rendered page shows a link with the record's current
title (or the editor's own words after the bar), so renaming a record never breaks a text, and
a published record's slug cannot change. Each app registers its own kinds from its AppConfig,
so this module never imports the apps that build on it. Anything that does not resolve to a
record the reader may see is shown as plain text, never as a broken link."""

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

REFERENCE_PATTERN = (
    r"\[\[(?P<kind>[a-z][a-z-]*):(?P<slug>[A-Za-z0-9_-]+)(?:\|(?P<label>[^\[\]|\n]+))?\]\]"
)
REFERENCE = re.compile(REFERENCE_PATTERN)


@dataclass(frozen=True)
class ReferenceKind:
    key: str
    model: type

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def plural(self):
        return self.model._meta.verbose_name_plural


_kinds = {}


def register(key, model):
    """Make `[[key:slug]]` refer to `model` (which has a unique `slug` and `visible_to`)."""
    _kinds[key] = ReferenceKind(key, model)


def kinds():
    return list(_kinds.values())


def kind_of(model):
    return next((kind for kind in _kinds.values() if kind.model is model), None)


@dataclass(frozen=True)
class Reference:
    kind: str
    slug: str
    label: str
    text: str

    @property
    def key(self):
        return (self.kind, self.slug)


def parse(text):
    """Every well-formed reference in `text`, in order (of any kind, known or not)."""
    return [
        Reference(match["kind"], match["slug"], (match["label"] or "").strip(), match[0])
        for match in REFERENCE.finditer(text or "")
    ]


def resolve(references, queryset_for):
    """{(kind, slug): record} for the references found by `queryset_for(model)`: one query per
    kind referred to."""
    slugs_by_kind = {}
    for reference in references:
        if reference.kind in _kinds:
            slugs_by_kind.setdefault(reference.kind, set()).add(reference.slug)
    found = {}
    for key, slugs in slugs_by_kind.items():
        for record in queryset_for(_kinds[key].model).filter(slug__in=slugs):
            found[(key, record.slug)] = record
    return found


def resolve_visible(references, user):
    return resolve(references, lambda model: model.objects.visible_to(user))


def problems(text):
    """What is wrong with the references in `text`, as sentences naming each one: a kind that
    does not exist, a record that does not exist, or one that is not published."""
    references = parse(text)
    existing = resolve(references, lambda model: model.objects.all())
    messages = []
    for reference in dict.fromkeys(references):
        kind = _kinds.get(reference.kind)
        record = existing.get(reference.key)
        if kind is None:
            known = ", ".join(sorted(_kinds))
            messages.append(f"{reference.text}: there is no kind “{reference.kind}” (use {known}).")
        elif record is None:
            messages.append(f"{reference.text}: there is no {kind.label} “{reference.slug}”.")
        elif not record.is_published:
            messages.append(
                f"{reference.text}: the {kind.label} “{record}” is not published "
                f"({record.get_status_display().lower()}); publish it first."
            )
    return messages


def grouped(references, records):
    """[(kind, [record, ...])] for the resolved references, in registration order, each record
    once, in the order the text first mentions it."""
    groups = []
    for kind in _kinds.values():
        listed = [records.get(r.key) for r in references if r.kind == kind.key]
        unique = list(dict.fromkeys(record for record in listed if record is not None))
        if unique:
            groups.append((kind, unique))
    return groups


class ReferenceProcessor(InlineProcessor):
    def __init__(self, records):
        super().__init__(REFERENCE_PATTERN)
        self.records = records

    def handleMatch(self, match, data):
        record = self.records.get((match["kind"], match["slug"]))
        label = (match["label"] or "").strip()
        if record is None:
            # Unknown, missing or not visible to this reader: words, not a dead link.
            return AtomicString(label or match[0]), match.start(0), match.end(0)
        link = ElementTree.Element("a", href=record.get_absolute_url())
        # Atomic: a title or label is words, never more Markdown or HTML.
        link.text = AtomicString(label or str(record))
        return link, match.start(0), match.end(0)


class ReferenceExtension(Extension):
    """Renders `[[kind:slug|label]]` as links to `records` ({(kind, slug): record})."""

    def __init__(self, records):
        super().__init__()
        self.records = records

    def extendMarkdown(self, md):
        # Above Markdown's own links (160), so `[[...]]` is never read as `[...]`.
        md.inlinePatterns.register(ReferenceProcessor(self.records), "atlas_reference", 175)
