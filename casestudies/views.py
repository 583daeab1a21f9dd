from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from cooperation.views import VisibleToUserMixin


class CaseStudyListView(VisibleToUserMixin, ListView):
    model = CaseStudy
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().with_era().prefetch_related("regions")


class CaseStudyDetailView(VisibleToUserMixin, DetailView):
    model = CaseStudy

    def get_queryset(self):
        user = self.request.user
        return (
            super()
            .get_queryset()
            .with_era()
            .prefetch_related(
                "regions",
                "countries",
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
