"""The map: for each state in the atlas, the case studies of the selection in which it is a
country of operation or takes part (in any role), by the rule of the list's `country` filter
(casestudies.filters.in_countries), so that a country's count is the length of the list
filtered to it."""

from dataclasses import dataclass

from django.db.models import Count, F

from casestudies.insight.selection import page_url, visible_selection
from casestudies.models import CaseStudy, Participation
from cooperation.models import Actor


@dataclass(frozen=True)
class CountryCount:
    slug: str
    name: str
    code: str  # ISO 3166-1 alpha-2, in capitals as the atlas keeps it
    operations: int  # case studies of the selection with it as a country of operation
    participations: int  # case studies of the selection in which it takes part
    total: int  # case studies of the selection with either, each counted once

    @property
    def url(self):
        return page_url("cooperation:actor-detail", self.slug)


@dataclass(frozen=True)
class CountryCounts:
    rows: list  # of CountryCount, most case studies first, then by name
    total: int  # case studies in the selection

    @property
    def maximum(self):
        return max((row.total for row in self.rows), default=0)

    @property
    def with_case_studies(self):
        return [row for row in self.rows if row.total]


def countries(queryset, user):
    """Every state the user may see, with the selection's case studies in which it is a country
    of operation, in which it takes part, and either. Five queries, whatever the data."""
    scope = visible_selection(queryset, user)
    states = Actor.objects.visible_to(user).filter(kind=Actor.Kind.STATE)
    operated = CaseStudy.countries.through.objects.filter(casestudy_id__in=scope, actor__in=states)
    operations = dict(operated.values_list("actor_id").annotate(n=Count("pk")).order_by())
    # Participations are unique per actor and case study, and so are countries of operation.
    participations = dict(
        Participation.objects.filter(case_study_id__in=scope, actor__in=states)
        .values_list("actor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    both = dict(
        operated.filter(casestudy__participation__actor_id=F("actor_id"))
        .values_list("actor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for pk, slug, name, code in states.order_by().values_list("pk", "slug", "name", "country_code"):
        operating, taking_part = operations.get(pk, 0), participations.get(pk, 0)
        rows.append(
            CountryCount(
                slug=slug,
                name=name,
                code=code,
                operations=operating,
                participations=taking_part,
                total=operating + taking_part - both.get(pk, 0),
            )
        )
    rows.sort(key=lambda row: (-row.total, row.name, row.slug))
    return CountryCounts(rows=rows, total=CaseStudy.objects.filter(pk__in=scope).count())
