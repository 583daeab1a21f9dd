"""What cites a source, as its page lists it: the records whose sources name it (case studies,
actors, topics, ...) and the claims that do (an actor's part in a case study, a mechanism used,
a membership), each with where in the source it stands where the claim says so.

Every model that cites sources does so through a many-to-many field to Source, so all of them are
found through Source's reverse relations: this app never imports the apps that build on it, and a
new kind of citing record or claim is listed without a change here. What is listed is what the
user may see (`visible_to`): the public sees a claim only when both its ends are published."""

from dataclasses import dataclass

from django.db import models

from cooperation.models import PublishableModel, Source
from cooperation.models.claims import parse_locators

# Of each kind of citing record or claim, a source's page lists this many (the atlas's most cited
# source backs about fifty claims); past it, the page says that more cite it.
CITING_SHOWN = 100


@dataclass(frozen=True)
class ClaimCitation:
    """A claim that cites the source, in words: "United States — lead in Operation X", where
    `subject` is the record the claim is about, `context` the record it ties it to, and `role`
    the subject's part where the claim gives one."""

    claim: models.Model
    subject: PublishableModel | None  # None: a claim of another shape, shown as it names itself
    role: str
    preposition: str
    context: PublishableModel | None
    confidence: str
    locator: str


@dataclass(frozen=True)
class CitingGroup:
    label: str  # "case studies", "participations"
    items: list  # records, or ClaimCitations
    more: bool  # more than the CITING_SHOWN listed cite the source


def citing_relations():
    """(accessor on a source, model) for every kind of record or claim that cites sources, in
    alphabetical order of the kind's plural name."""
    relations = [
        (relation.get_accessor_name(), relation.related_model)
        for relation in Source._meta.related_objects
        if relation.many_to_many and not relation.hidden
    ]
    return sorted(relations, key=lambda relation: str(relation[1]._meta.verbose_name_plural))


def claim_ends(model):
    """A claim's two foreign keys to records, subject first: the record a case study's link names
    (`linked_field`), else the first declared (a membership's member, before its organisation)."""
    ends = [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and issubclass(field.related_model, PublishableModel)
    ]
    linked = getattr(model, "linked_field", None)
    ends.sort(key=lambda field: field.name != linked)  # stable: the declared order otherwise
    return ends


def text_fields(model):
    """The long text a list of links does not show, left unread."""
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, models.TextField)
    ]


def describe(claim, source, ends):
    subject = context = None
    if len(ends) == 2:
        subject, context = (getattr(claim, field.name) for field in ends)
    role = claim.get_role_display().lower() if hasattr(claim, "get_role_display") else ""
    confidence = claim.get_confidence_display() if hasattr(claim, "get_confidence_display") else ""
    return ClaimCitation(
        claim=claim,
        subject=subject,
        role=role,
        # A membership ties an actor to another, of which it is a member; other claims tie a
        # record to the case study it took part in.
        preposition="of" if subject is not None and type(subject) is type(context) else "in",
        context=context,
        confidence=confidence.lower(),
        locator=parse_locators(getattr(claim, "locators", "")).get(source.slug, ""),
    )


def citing(source, user):
    """What cites `source` that `user` may see, as two lists of CitingGroups, (records, claims),
    each group holding at most CITING_SHOWN; one query per kind, however many cite it."""
    records, claims = [], []
    for accessor, model in citing_relations():
        visible = getattr(source, accessor).visible_to(user)
        label = str(model._meta.verbose_name_plural)
        if issubclass(model, PublishableModel):
            rows = list(visible.defer(*text_fields(model))[: CITING_SHOWN + 1])
            items, groups = rows[:CITING_SHOWN], records
        else:
            ends = claim_ends(model)
            unread = [
                f"{end.name}__{name}" for end in ends for name in text_fields(end.related_model)
            ]
            rows = visible.select_related(*(end.name for end in ends)).defer(*unread)
            rows = list(rows[: CITING_SHOWN + 1])
            items = [describe(claim, source, ends) for claim in rows[:CITING_SHOWN]]
            groups = claims
        if items:
            groups.append(CitingGroup(label, items, len(rows) > CITING_SHOWN))
    return records, claims
