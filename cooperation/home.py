"""The home page: site-wide, so it may draw on both the core domain and the case studies."""

from django.views.generic import TemplateView

from casestudies.models import CaseStudy
from cooperation.models import Actor, Challenge, Mechanism


class HomeView(TemplateView):
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
            featured=case_studies.filter(featured=True).with_era(),
            recently_updated=case_studies.order_by("-updated_at")[:5],
            **kwargs,
        )
