from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.views.generic import DetailView, ListView, TemplateView

from casestudies.cited_sources import attach_cited_sources
from casestudies.comparison import MAX_PICKS, resolve_picks
from casestudies.facet_index import PagedByKey, answer, counted_facets
from casestudies.facets import FACET_NAMES, LONG_FACET_LIMIT, facet_counts
from casestudies.filter_links import chips, list_url, toggled
from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy
from casestudies.related import related_case_studies
from cooperation.limits import CASE_STUDIES_PER_PAGE, SEARCH_MAX_LENGTH
from cooperation.models import Actor
from cooperation.views import PreviewChangesMixin, VisibleToUserMixin, topics_referring_to


class FilteredCaseStudiesMixin(VisibleToUserMixin):
    """Case studies as the shared filters select them from the request's query string."""

    model = CaseStudy
    query_parameters = tuple(CaseStudyFilterSet.base_filters)

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = CaseStudyFilterSet(
                self.request.GET, queryset=super().get_queryset(), request=self.request
            )
            self.filterset.is_valid()  # an invalid value is reported and otherwise ignored
        return self.filterset

    def get_queryset(self):
        return self.get_filterset().qs

    def refuse_invalid_filters(self):
        """For downloads, which cannot show a page's "not understood" message: a 400 naming
        each filter whose value is not understood (None if all are), rather than a file that
        silently ignores them."""
        errors = self.get_filterset().errors
        if not errors:
            return None
        named = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        return HttpResponseBadRequest(
            f"Filters not understood: {named}\n", content_type="text/plain; charset=utf-8"
        )


def filters_only(query):
    """The list's query without its page and compare picks: what exports, feeds and the
    insight pages take."""
    query = query.copy()
    for name in ("page", "c"):
        query.pop(name, None)
    return query


class CaseStudyListView(FilteredCaseStudiesMixin, ListView):
    paginate_by = CASE_STUDIES_PER_PAGE
    query_parameters = (*FilteredCaseStudiesMixin.query_parameters, "page", "c")

    def get_queryset(self):
        return super().get_queryset().with_era().prefetch_related("regions")

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        self.index_answer = answer(filterset, self.request.user, limit=LONG_FACET_LIMIT)
        facets = (
            self.index_answer.facets
            if self.index_answer is not None
            else facet_counts(filterset, self.request.user)
        )
        picks = resolve_picks(self.request, CaseStudy.objects.visible_to(self.request.user))
        context = super().get_context_data(**kwargs)
        for case_study in context["object_list"]:
            case_study.picked = case_study.slug in picks
        filters = filters_only(self.request.GET)
        return {
            **context,
            "filterset": filterset,
            "facets": facets,
            "chips": chips(filters, facets, filterset.form.cleaned_data),
            "query": filters.urlencode(),
            "picks": picks,
            "other_picks": [
                slug
                for slug in picks.slugs
                if slug not in {case.slug for case in context["object_list"]}
            ],
            "max_picks": MAX_PICKS,
        }

    def paginate_queryset(self, queryset, page_size):
        """The count and the page's ids from the facet index's ordered result when it has one;
        then only the page's case studies are read, by primary key."""
        found = getattr(self, "index_answer", None)
        if found is not None and found.ordered_pks is not None:
            queryset = PagedByKey(
                found.ordered_pks,
                CaseStudy.objects.published().with_era().prefetch_related("regions"),
            )
        return super().paginate_queryset(queryset, page_size)


class FacetValuesView(FilteredCaseStudiesMixin, TemplateView):
    """Every value of one facet with its count under the list's other filters, searchable
    within the facet and in order of count or of name: the way to the values the sidebar
    leaves out (Datasette's "…" link to all of a facet's values)."""

    template_name = "casestudies/facet_values.html"
    query_parameters = (*FilteredCaseStudiesMixin.query_parameters, "c", "within", "order")
    ORDERS = {"count": "By number of case studies", "name": "Alphabetically"}

    def get(self, request, *args, **kwargs):
        if kwargs["facet"] not in FACET_NAMES:
            raise Http404("No such facet.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        name = kwargs.pop("facet")
        (facet,) = [
            facet for facet in counted_facets(filterset, self.request.user) if facet.name == name
        ]
        within = self.request.GET.get("within", "").strip()[:SEARCH_MAX_LENGTH]
        order = self.request.GET.get("order")
        order = order if order in self.ORDERS else "count"
        values = [value for value in facet.values if within.casefold() in value.label.casefold()]
        if order == "name":
            values.sort(key=lambda value: value.label.casefold())
        query = self.request.GET.copy()
        for name in ("within", "order"):
            query.pop(name, None)
        return super().get_context_data(
            facet=facet,
            values=[(value, list_url(toggled(query, facet.name, value.value))) for value in values],
            within=within,
            order=order,
            orders=self.ORDERS,
            back_url=list_url(query),
            hidden_query=[
                (name, value) for name, values_of in query.lists() for value in values_of
            ],
            **kwargs,
        )


class CaseStudyDetailView(PreviewChangesMixin, DetailView):
    model = CaseStudy

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related=related_case_studies(self.object, self.request.user),
            topics=topics_referring_to(self.object, self.request.user),
            **kwargs,
        )

    def get_object(self, queryset=None):
        case_study = super().get_object(queryset)
        attach_cited_sources(case_study)
        return case_study

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .with_era()
            .prefetch_related(
                "regions", Prefetch("countries", queryset=Actor.objects.visible_to(user))
            )
            .with_claims_shown_to(user)
        )
