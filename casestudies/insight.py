"""The aggregates behind the insight pages (timeline, cooperation network, statistics) and the
statistics API. Each function takes a filtered case-study queryset (CaseStudyFilterSet's result)
and the requesting user, counts only what the user may see (drafts never count for the public),
and runs a fixed number of queries whatever the number of rows. Lists that grow with the data
(case studies on the timeline, actors in the network, mechanisms and challenges) are capped, and
each result says how many it left out."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.urls import reverse
from django.utils import timezone

from casestudies.filters import era_condition
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.models import Actor, Era, Mechanism, Membership, Region

# The timeline draws the most recent case studies (by start date) of the selection, at most:
TIMELINE_LIMIT = 300
# The network draws the actors that take part in the most case studies of the selection:
NETWORK_LIMIT = 150
# Bar charts of mechanisms, and the mechanism-by-challenge matrix, show the most frequent:
MECHANISM_LIMIT = 20
MATRIX_LIMIT = 12

COLOUR_BY = {"era": "Era", "region": "Region", "outcome": "Outcome"}
NO_ERA = ("", "No era")
SEVERAL_REGIONS = ("several", "Several regions")
NO_REGION = ("none", "No region")


@dataclass(frozen=True)
class Tally:
    """How many case studies of the selection one record (or value) counts."""

    slug: str
    name: str
    count: int
    url: str = ""


def _scope(queryset, user):
    """The primary keys of the selection's case studies the user may see, as a subquery."""
    return queryset.visible_to(user).order_by().values("pk")


def _link_url(route, slug):
    return reverse(route, args=[slug]) if slug else ""


# Timeline


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
    for era in eras:
        if era.start_date <= date and (era.end_date is None or date <= era.end_date):
            return (era.slug, era.name)
    return NO_ERA


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


# Cooperation network


@dataclass(frozen=True)
class NetworkNode:
    slug: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    case_studies: int

    @property
    def label(self):
        return self.short_name or self.name

    @property
    def url(self):
        return reverse("cooperation:actor-detail", args=[self.slug])


@dataclass(frozen=True)
class NetworkLink:
    source: str  # actor slugs, source before target by name
    target: str
    case_studies: int  # case studies of the selection both take part in
    membership: bool  # one is a member of the other


@dataclass(frozen=True)
class Network:
    nodes: list  # most case studies first
    links: list  # strongest first
    total_actors: int  # actors taking part in the selection's case studies
    limit: int = NETWORK_LIMIT

    @property
    def not_drawn(self):
        return self.total_actors - len(self.nodes)

    def degree(self):
        """How many other drawn actors each actor is linked to, by slug."""
        degree = dict.fromkeys((node.slug for node in self.nodes), 0)
        for link in self.links:
            degree[link.source] += 1
            degree[link.target] += 1
        return degree


def network(queryset, user, *, limit=None):
    """The actors taking part in the most case studies of the selection (at most `limit`), linked
    by the case studies they share and by membership. Three queries."""
    limit = limit or NETWORK_LIMIT
    scope = _scope(queryset, user)
    visible_actors = Actor.objects.visible_to(user)
    participations = Participation.objects.filter(case_study__in=scope, actor__in=visible_actors)
    rows = list(
        participations.values_list(
            "actor_id", "actor__slug", "actor__name", "actor__short_name", "actor__kind"
        )
        .annotate(n=Count("pk"), total=Window(Count("*")))  # one per actor and case study
        .order_by("-n", "actor__name", "actor_id")[:limit]
    )
    total = rows[0][-1] if rows else 0
    kinds = dict(Actor.Kind.choices)
    nodes = [
        NetworkNode(
            slug=slug,
            name=name,
            short_name=short,
            kind=kind,
            kind_label=kinds.get(kind, kind),
            case_studies=n,
        )
        for _, slug, name, short, kind, n, _ in rows
    ]
    slugs = {pk: slug for pk, slug, *_ in rows}
    ids = list(slugs)
    shared = (
        Participation.objects.filter(
            case_study__in=scope,
            actor_id__in=ids,
            case_study__participation__actor_id__in=ids,
            actor_id__lt=F("case_study__participation__actor_id"),
        )
        .values_list("actor_id", "case_study__participation__actor_id")
        .annotate(n=Count("case_study_id"))
        .order_by()
    )
    weights = {(a, b): n for a, b, n in shared}
    members = (
        Membership.objects.visible_to(user)
        .filter(member_id__in=ids, organisation_id__in=ids)
        .values_list("member_id", "organisation_id")
        .distinct()
        .order_by()
    )
    membership = {(min(a, b), max(a, b)) for a, b in members}
    names = {node.slug: node.name for node in nodes}
    links = []
    for a, b in sorted(weights.keys() | membership):
        source, target = sorted((slugs[a], slugs[b]), key=lambda slug: (names[slug], slug))
        links.append(
            NetworkLink(
                source=source,
                target=target,
                case_studies=weights.get((a, b), 0),
                membership=(a, b) in membership,
            )
        )
    links.sort(key=lambda link: (-link.case_studies, names[link.source], names[link.target]))
    return Network(nodes=nodes, links=links, total_actors=total, limit=limit)


# Statistics


@dataclass(frozen=True)
class Counts:
    """Counts of the selection's case studies by one dimension."""

    rows: list  # of Tally
    total: int  # case studies in the selection
    others: int = 0  # case studies (eras) or records (mechanisms) not in `rows`


def eras(queryset, user):
    """Case studies per era (the era their start date falls in), oldest era first. Two queries."""
    every = list(Era.objects.visible_to(user).order_by("start_date"))
    counts = CaseStudy.objects.filter(pk__in=_scope(queryset, user)).aggregate(
        total=Count("pk"),
        **{
            f"era_{index}": Count("pk", filter=era_condition(era))
            for index, era in enumerate(every)
        },
    )
    rows = [
        Tally(era.slug, era.name, counts[f"era_{index}"], _link_url("era-detail", era.slug))
        for index, era in enumerate(every)
    ]
    in_eras = sum(row.count for row in rows)
    return Counts(rows=rows, total=counts["total"], others=counts["total"] - in_eras)


def regions(queryset, user):
    """Case studies per region, most first (a case study in several regions counts in each).
    Three queries."""
    scope = _scope(queryset, user)
    through = CaseStudy.regions.through
    counts = dict(
        through.objects.filter(casestudy_id__in=scope)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    every = Region.objects.visible_to(user).order_by("name").values_list("pk", "slug", "name")
    rows = [
        Tally(slug, name, counts.get(pk, 0), _link_url("region-detail", slug))
        for pk, slug, name in every
    ]
    rows.sort(key=lambda row: (-row.count, row.name))
    total = CaseStudy.objects.filter(pk__in=scope).count()
    return Counts(rows=rows, total=total)


def _top_linked(link_model, field, queryset, user, limit):
    """The records of one kind linked to the most case studies of the selection, most first;
    their primary keys; and how many such records there are in all. One query: the window
    function counts the groups before the limit applies."""
    linked_model = link_model._meta.get_field(field).related_model
    links = link_model.objects.filter(
        case_study__in=_scope(queryset, user),
        **{f"{field}__in": linked_model.objects.visible_to(user)},
    )
    found = list(
        links.values_list(f"{field}_id", f"{field}__slug", f"{field}__name")
        .annotate(n=Count("pk"), used=Window(Count("*")))  # one link per record and case study
        .order_by("-n", f"{field}__name")[:limit]
    )
    route = f"cooperation:{linked_model._meta.model_name}-detail"
    rows = [Tally(slug, name, n, _link_url(route, slug)) for _, slug, name, n, _ in found]
    return rows, [row[0] for row in found], found[0][-1] if found else 0


def mechanisms(queryset, user, *, limit=MECHANISM_LIMIT):
    """The mechanisms used by the most case studies of the selection, most first. Two queries."""
    rows, _, used = _top_linked(MechanismUse, "mechanism", queryset, user, limit)
    total = CaseStudy.objects.filter(pk__in=_scope(queryset, user)).count()
    return Counts(rows=rows, total=total, others=used - len(rows))


@dataclass(frozen=True)
class Matrix:
    """How many case studies of the selection used each mechanism and met each challenge."""

    mechanisms: list  # of Tally, most used first
    challenges: list  # of Tally, most met first
    cells: dict  # (mechanism slug, challenge slug) -> case studies
    mechanisms_total: int
    challenges_total: int

    def count(self, mechanism, challenge):
        return self.cells.get((mechanism, challenge), 0)

    def rows(self):
        """Each mechanism with its count for every challenge, in column order."""
        return [
            (
                mechanism,
                [self.count(mechanism.slug, challenge.slug) for challenge in self.challenges],
            )
            for mechanism in self.mechanisms
        ]

    @property
    def maximum(self):
        return max(self.cells.values(), default=0)


def matrix(queryset, user, *, limit=MATRIX_LIMIT):
    """The mechanism-by-challenge matrix over the `limit` most used mechanisms and the `limit` most
    met challenges of the selection. Three queries."""
    top_mechanisms, mechanism_ids, mechanisms_total = _top_linked(
        MechanismUse, "mechanism", queryset, user, limit
    )
    top_challenges, challenge_ids, challenges_total = _top_linked(
        ChallengeEncounter, "challenge", queryset, user, limit
    )
    pairs = (
        MechanismUse.objects.filter(
            case_study__in=_scope(queryset, user),
            mechanism_id__in=mechanism_ids,
            case_study__challengeencounter__challenge_id__in=challenge_ids,
        )
        .values_list("mechanism__slug", "case_study__challengeencounter__challenge__slug")
        .annotate(n=Count("case_study_id"))
        .order_by()
    )
    return Matrix(
        mechanisms=top_mechanisms,
        challenges=top_challenges,
        cells={(mechanism, challenge): n for mechanism, challenge, n in pairs},
        mechanisms_total=mechanisms_total,
        challenges_total=challenges_total,
    )


@dataclass(frozen=True)
class MechanismOutcomes:
    mechanism: Tally  # its count: case studies of the selection that used it
    outcomes: list  # (outcome value, label, count) in the order of CaseStudy.Outcome


@dataclass(frozen=True)
class OutcomesByMechanism:
    rows: list  # of MechanismOutcomes, most used mechanism first
    outcomes: list  # (value, label) of CaseStudy.Outcome
    others: int  # mechanisms used in the selection but not shown


def outcomes_by_mechanism(queryset, user, *, limit=MATRIX_LIMIT):
    """For the `limit` mechanisms used by the most case studies of the selection, how many of
    those case studies ended in each outcome. One query."""
    links = MechanismUse.objects.filter(
        case_study__in=_scope(queryset, user), mechanism__in=Mechanism.objects.visible_to(user)
    )
    outcomes = list(CaseStudy.Outcome.choices)
    per_outcome = {
        f"outcome_{value}": Count("pk", filter=Q(case_study__outcome=value))
        for value, _ in outcomes
    }
    found = list(
        links.values("mechanism_id", "mechanism__slug", "mechanism__name")
        .annotate(n=Count("pk"), used=Window(Count("*")), **per_outcome)
        .order_by("-n", "mechanism__name")[:limit]
    )
    rows = [
        MechanismOutcomes(
            mechanism=Tally(
                row["mechanism__slug"],
                row["mechanism__name"],
                row["n"],
                _link_url("cooperation:mechanism-detail", row["mechanism__slug"]),
            ),
            outcomes=[(value, label, row[f"outcome_{value}"]) for value, label in outcomes],
        )
        for row in found
    ]
    used = found[0]["used"] if found else 0
    return OutcomesByMechanism(rows=rows, outcomes=outcomes, others=used - len(rows))
