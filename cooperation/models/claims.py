"""Claims: links between records that cite their sources and say how firmly those support them."""

import re

from django.db import models

from cooperation.models.publishing import (
    TimeStampedModel,
)
from cooperation.models.reference import Source


class Confidence(models.TextChoices):
    """How firmly the cited sources support a claim."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


LOCATOR_LINE = re.compile(r"^\s*(?P<slug>[-\w]+)\s*:\s*(?P<where>\S.*?)\s*$")


def parse_locators(text):
    """{source slug: where in it} from one line per source, "slug: where in it"; lines that do
    not have that shape are returned under None."""
    found, malformed = {}, []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = LOCATOR_LINE.match(line)
        if match:
            found[match["slug"]] = match["where"]
        else:
            malformed.append(line.strip())
    if malformed:
        found[None] = malformed
    return found


class SourcedClaim(TimeStampedModel):
    """A link between two records that is itself a claim: it cites its sources, says where in
    each the claim stands, and how firmly they support it, so every statement an analyst reads
    can be checked in a minute."""

    confidence = models.CharField(max_length=8, choices=Confidence, default=Confidence.MEDIUM)
    sources = models.ManyToManyField(Source, blank=True)
    locators = models.TextField(
        "where in the sources",
        blank=True,
        help_text="One line per cited source: its slug, a colon, and where in it the claim "
        "stands (page, section, paragraph), e.g. “un-press-sc7248: paragraph 3”.",
    )

    _history_m2m_fields = ["sources"]

    class Meta:
        abstract = True

    def evidence_problems(self, sources):
        """Why the claim cannot be checked as it stands, as sentences: a cited source with no
        locator, a locator for a source it does not cite, or `high` confidence without an
        official source (the codebook's rule). `sources` are the claim's cited sources."""
        label = f"{self._meta.verbose_name.capitalize()} “{self}”"
        located = parse_locators(self.locators)
        problems = [
            f"{label}: “{line}” is not “source-slug: where in it”."
            for line in located.pop(None, [])
        ]
        cited = {source.slug for source in sources}
        for slug in sorted(cited - located.keys()):
            problems.append(f"{label} does not say where in “{slug}” it stands.")
        for slug in sorted(located.keys() - cited):
            problems.append(f"{label} locates “{slug}”, which it does not cite.")
        if self.confidence == Confidence.HIGH and not any(
            source.kind == Source.Kind.OFFICIAL for source in sources
        ):
            problems.append(f"{label} is rated high confidence, which needs an official source.")
        return problems
