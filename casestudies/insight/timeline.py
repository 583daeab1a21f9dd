"""The timeline: a bar per case study from its start to its end (or today), coloured by era, region
or outcome."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from cooperation.models import Era, Region

# The timeline draws the most recent case studies (by start date) of the selection, at most:
TIMELINE_LIMIT = 300


COLOUR_BY = {"era": "Era", "region": "Region", "outcome": "Outcome"}


NO_ERA = ("", "No era")


SEVERAL_REGIONS = ("several", "Several regions")


NO_REGION = ("none", "No region")


@dataclass(frozen=True)
class TimelineBar:
    slug: str
    title: str
    start: datetime.date
    end: datetime.date | None
    outcome: str
    outcome_label: str
    era: tuple  # (slug, name), NO_ERA before every era
    regions: tuple  # ((slug, name), ...) by name

    @property
    def url(self):
        return reverse("casestudies:detail", args=[self.slug])

    @property
    def ongoing(self):
        return self.end is None

    def group(self, colour_by):
        """The (key, label) of the group this bar is coloured by."""
        if colour_by == "outcome":
            return (self.outcome, self.outcome_label)
        if colour_by == "region":
            if len(self.regions) > 1:
                return SEVERAL_REGIONS
            return self.regions[0] if self.regions else NO_REGION
        return self.era


@dataclass(frozen=True)
class Timeline:
    bars: list  # oldest first
    total: int  # case studies in the selection
    eras: list  # every era, oldest first
    regions: list  # every region as (slug, name), by name
    today: datetime.date
    limit: int = TIMELINE_LIMIT

    @property
    def not_drawn(self):
        return self.total - len(self.bars)

    def groups(self, colour_by):
        """Every possible group of `colour_by`, in a stable order (so a group keeps its colour
        from one selection to the next), each with whether a drawn bar belongs to it."""
        if colour_by == "outcome":
            every = list(CaseStudy.Outcome.choices)
        elif colour_by == "region":
            every = [*self.regions, SEVERAL_REGIONS, NO_REGION]
        else:
            every = [(era.slug, era.name) for era in self.eras] + [NO_ERA]
        used = {bar.group(colour_by) for bar in self.bars}
        return [(key, label, (key, label) in used) for key, label in every]


def _era_of(eras, date):
    return next(((era.slug, era.name) for era in eras if era.contains(date)), NO_ERA)


def timeline(queryset, user, *, limit=None, today=None):
    """The most recent `limit` case studies of the selection by start date, drawn oldest first,
    with their era, regions and outcome. Five queries."""
    limit = limit or TIMELINE_LIMIT
    visible = queryset.visible_to(user).order_by()
    total = visible.count()
    rows = list(
        visible.order_by("-start_date", "-pk").values_list(
            "pk", "slug", "title", "start_date", "end_date", "outcome"
        )[:limit]
    )
    eras = list(Era.objects.visible_to(user).order_by("start_date"))
    regions = list(Region.objects.visible_to(user).order_by("name").values_list("slug", "name"))
    names = dict(regions)
    by_case = {}
    for case_id, slug in CaseStudy.regions.through.objects.filter(
        casestudy_id__in=[row[0] for row in rows]
    ).values_list("casestudy_id", "region__slug"):
        by_case.setdefault(case_id, []).append((slug, names[slug]))
    outcomes = dict(CaseStudy.Outcome.choices)
    bars = [
        TimelineBar(
            slug=slug,
            title=title,
            start=start,
            end=end,
            outcome=outcome,
            outcome_label=outcomes.get(outcome, outcome),
            era=_era_of(eras, start),
            regions=tuple(sorted(by_case.get(pk, []), key=lambda region: region[1])),
        )
        for pk, slug, title, start, end, outcome in reversed(rows)
    ]
    return Timeline(
        bars=bars,
        total=total,
        eras=eras,
        regions=regions,
        today=today or timezone.localdate(),
        limit=limit,
    )
