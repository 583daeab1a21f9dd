from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.views.generic import DetailView, ListView

from casestudies.facets import facet_counts
from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from casestudies.related import related_case_studies
from cooperation.limits import CASE_STUDIES_PER_PAGE, SLUG
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


class CaseStudyListView(FilteredCaseStudiesMixin, ListView):
    paginate_by = CASE_STUDIES_PER_PAGE
    query_parameters = (*FilteredCaseStudiesMixin.query_parameters, "page")

    def get_queryset(self):
        return super().get_queryset().with_era().prefetch_related("regions")

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filterset=filterset,
            facets=facet_counts(filterset, self.request.user),
            query=query.urlencode(),
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

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .with_era()
            .prefetch_related(
                "regions",
                Prefetch("countries", queryset=Actor.objects.visible_to(user)),
                "sources",
                Prefetch(
                    "participation_set",
                    queryset=Participation.objects.visible_to(user)
                    .select_related("actor")
                    .prefetch_related("sources"),
                ),
                Prefetch(
                    "mechanismuse_set",
                    queryset=MechanismUse.objects.visible_to(user)
                    .select_related("mechanism")
                    .prefetch_related("sources"),
                ),
                Prefetch(
                    "challengeencounter_set",
                    queryset=ChallengeEncounter.objects.visible_to(user)
                    .select_related("challenge")
                    .prefetch_related("sources"),
                ),
            )
        )


class CompareView(VisibleToUserMixin, ListView):
    """Two to four case studies side by side, with what they share marked."""

    model = CaseStudy
    template_name = "casestudies/compare.html"
    query_parameters = ("c",)
    MIN, MAX = 2, 4

    def get_slugs(self):
        # Only a slug can name a case study; anything else (a NUL byte, which PostgreSQL refuses
        # even to compare) is left out like an unknown slug.
        slugs = [slug for slug in self.request.GET.getlist("c") if SLUG.fullmatch(slug)]
        return list(dict.fromkeys(slugs))[: self.MAX]

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .filter(slug__in=self.get_slugs())
            .with_era()
            .prefetch_related(
                "regions",
                Prefetch(
                    "participation_set",
                    queryset=Participation.objects.visible_to(user).select_related("actor"),
                ),
                Prefetch(
                    "mechanismuse_set",
                    queryset=MechanismUse.objects.visible_to(user).select_related("mechanism"),
                ),
                Prefetch(
                    "challengeencounter_set",
                    queryset=ChallengeEncounter.objects.visible_to(user).select_related(
                        "challenge"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = {slug: index for index, slug in enumerate(self.get_slugs())}
        case_studies = sorted(context["object_list"], key=lambda case: order[case.slug])
        rows = []
        for label, links, field in [
            ("Participants", "participation_set", "actor"),
            ("Mechanisms", "mechanismuse_set", "mechanism"),
            ("Challenges", "challengeencounter_set", "challenge"),
        ]:
            columns = [
                [getattr(link, field) for link in getattr(case, links).all()]
                for case in case_studies
            ]
            in_every = set.intersection(*(set(column) for column in columns)) if columns else set()
            rows.append((label, [[(item, item in in_every) for item in col] for col in columns]))
        context.update(
            case_studies=case_studies,
            rows=rows,
            enough=len(case_studies) >= self.MIN,
            shared_outcome=len({case.outcome for case in case_studies}) == 1,
        )
        return context
