"""The cooperation network: actors linked by the case studies they share and by membership."""

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
