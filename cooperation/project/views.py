"""Site-wide pages: home, search, and the region and era pages, which gather actors and case
studies. Being site-wide, they may draw on both the core domain and the case studies."""

from django.conf import settings
from django.views.generic import DetailView, ListView, TemplateView

from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, Era, Mechanism, Region, Status, Topic
from cooperation.search import ordered_by_rank, search, search_words
from cooperation.views import CASE_STUDIES_SHOWN

SEARCH_LIMIT_PER_KIND = 20


ACTORS_SHOWN = 50


class HomeView(TemplateView):
    query_parameters = ()
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        case_studies = CaseStudy.objects.published()
        return super().get_context_data(
            counts={
                "case studies": case_studies.count(),
                "actors": Actor.objects.published().count(),
                "mechanisms": Mechanism.objects.published().count(),
                "challenges": Challenge.objects.published().count(),
            },
            featured=case_studies.filter(featured=True).order_by("title"),
            recently_updated=case_studies.order_by("-updated_at")[:5],
            # Top level as the public sees it: a draft parent must not hide a published component.
            mechanisms=Mechanism.objects.published().exclude(parent__status=Status.PUBLISHED),
            challenges=Challenge.objects.published(),
            actor_kinds=Actor.Kind.choices,
            regions=Region.objects.all(),
            eras=Era.objects.all(),
            topics=Topic.objects.published().only("title", "slug", "summary"),
            **kwargs,
        )


class SearchView(TemplateView):
    """One ranked list of matching case studies, actors, mechanisms, challenges and topics."""

    template_name = "search.html"
    query_parameters = ("q",)
    kinds = [
        (CaseStudy, "Case study"),
        (Actor, "Actor"),
        (Mechanism, "Mechanism"),
        (Challenge, "Challenge"),
        (Topic, "Topic"),
    ]

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")
        results = []
        for model, kind in self.kinds:
            visible = model.objects.visible_to(self.request.user)
            matches = ordered_by_rank(search(visible, text))[:SEARCH_LIMIT_PER_KIND]
            results.extend((entry.rank, kind, entry) for entry in matches)
        results.sort(key=lambda result: -result[0])
        return super().get_context_data(
            search_text=text,
            words=search_words(text),
            results=[(kind, entry) for _, kind, entry in results],
            **kwargs,
        )


class RegionListView(ListView):
    model = Region
    query_parameters = ()


class RegionDetailView(DetailView):
    model = Region
    query_parameters = ()

    def get_context_data(self, **kwargs):
        user = self.request.user
        case_studies = CaseStudy.objects.visible_to(user).filter(regions=self.object)
        actors = Actor.objects.visible_to(user).filter(region=self.object)
        return super().get_context_data(
            actors=actors[:ACTORS_SHOWN],
            actor_count=actors.count(),
            case_studies=case_studies.order_by("-pk")[:CASE_STUDIES_SHOWN],
            case_study_count=case_studies.count(),
            **kwargs,
        )


class EraListView(ListView):
    model = Era
    query_parameters = ()


class EraDetailView(DetailView):
    model = Era
    query_parameters = ()

    def get_context_data(self, **kwargs):
        case_studies = CaseStudy.objects.visible_to(self.request.user).filter(
            self.object.condition()
        )
        return super().get_context_data(
            case_studies=case_studies.order_by("-pk")[:CASE_STUDIES_SHOWN],
            case_study_count=case_studies.count(),
            **kwargs,
        )


class CodebookView(TemplateView):
    """The codebook: what each field and category means (docs/codebook.md, one source)."""

    template_name = "codebook.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        codebook = (settings.BASE_DIR / "docs" / "codebook.md").read_text(encoding="utf-8")
        return super().get_context_data(codebook=codebook, **kwargs)
