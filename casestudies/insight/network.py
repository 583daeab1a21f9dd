"""The cooperation network: actors linked by the case studies in which they stand on the same
side (as lead, member, partner or host nation) and by membership; and, apart, the conflict
between an arrangement's participants and its adversaries, which is not cooperation."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.urls import reverse

from casestudies.insight.selection import visible_selection
from casestudies.models import Participation
from cooperation.models import Actor, Membership

# The network draws the actors that take part in the most case studies of the selection:
NETWORK_LIMIT = 150


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


COOPERATION, CONFLICT = "cooperation", "conflict"
# The roles of those on the arrangement's own side (Participation.Role).
SAME_SIDE = ("lead", "member", "partner", "host_nation")


@dataclass(frozen=True)
class NetworkLink:
    source: str  # actor slugs, source before target by name
    target: str
    case_studies: int  # case studies of the selection in which they cooperate, or are opposed
    membership: bool  # one is a member of the other
    relation: str = COOPERATION  # or CONFLICT: one is the other's adversary

    @property
    def is_conflict(self):
        return self.relation == CONFLICT


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
    by the case studies in which they cooperate and by membership, and apart by those in which
    one is the other's adversary. Four queries."""
    limit = limit or NETWORK_LIMIT
    scope = visible_selection(queryset, user)
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

    def pairs(**conditions):
        # One filter() call: the conditions on the other participation share its one join.
        return (
            Participation.objects.filter(
                case_study__in=scope,
                actor_id__in=ids,
                case_study__participation__actor_id__in=ids,
                **conditions,
            )
            .values_list("actor_id", "case_study__participation__actor_id")
            .annotate(n=Count("case_study_id"))
            .order_by()
        )

    shared = pairs(
        role__in=SAME_SIDE,
        case_study__participation__role__in=SAME_SIDE,
        actor_id__lt=F("case_study__participation__actor_id"),
    )
    weights = {(a, b): n for a, b, n in shared}
    # An adversary and those it is opposed by, in one case study.
    opposed = pairs(role="adversary", case_study__participation__role__in=SAME_SIDE)
    conflicts = {}
    for a, b, n in opposed:
        key = (min(a, b), max(a, b))
        conflicts[key] = conflicts.get(key, 0) + n
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
    for a, b in sorted(conflicts):
        source, target = sorted((slugs[a], slugs[b]), key=lambda slug: (names[slug], slug))
        links.append(
            NetworkLink(source, target, conflicts[(a, b)], membership=False, relation=CONFLICT)
        )
    links.sort(
        key=lambda link: (
            link.is_conflict,
            -link.case_studies,
            names[link.source],
            names[link.target],
        )
    )
    return Network(nodes=nodes, links=links, total_actors=total, limit=limit)
