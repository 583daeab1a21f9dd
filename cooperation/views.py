"""Public pages for the core domain: actors, mechanisms, challenges, regions, eras and sources.

Every page builds its lists through `visible_to(user)`, so the public sees published entries only
and editors also see drafts, marked as such."""

from django.db.models import Prefetch
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from cooperation.models import Actor, Challenge, Mechanism, Membership, Source
from cooperation.workflow import may_edit


class VisibleToUserMixin:
    """Lists and looks up only what the requesting user may see. A page that may show drafts (to
    an editor previewing them) is marked private and never served from a cache."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if may_edit(self.request.user, self.model):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class ActorListView(VisibleToUserMixin, ListView):
    model = Actor
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class ActorDetailView(VisibleToUserMixin, DetailView):
    model = Actor

    def get_queryset(self):
        memberships = Membership.objects.visible_to(self.request.user).select_related(
            "member", "organisation"
        )
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related(
                Prefetch("memberships", queryset=memberships),
                Prefetch("members", queryset=memberships),
                "sources",
            )
        )

    def get_context_data(self, **kwargs):
        participations = self.object.participations.visible_to(self.request.user)
        return super().get_context_data(
            participations=participations.select_related("case_study"),
            **kwargs,
        )


class MechanismListView(VisibleToUserMixin, ListView):
    model = Mechanism

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class MechanismDetailView(VisibleToUserMixin, DetailView):
    model = Mechanism

    def get_queryset(self):
        visible = Mechanism.objects.visible_to(self.request.user)
        challenges = Challenge.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related(
                Prefetch("components", queryset=visible),
                Prefetch("mitigates", queryset=challenges),
                "sources",
            )
        )

    def get_context_data(self, **kwargs):
        uses = self.object.uses.visible_to(self.request.user).select_related("case_study")
        return super().get_context_data(uses=uses, **kwargs)


class ChallengeListView(VisibleToUserMixin, ListView):
    model = Challenge


class ChallengeDetailView(VisibleToUserMixin, DetailView):
    model = Challenge

    def get_queryset(self):
        mechanisms = Mechanism.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("mitigated_by", queryset=mechanisms), "sources")
        )

    def get_context_data(self, **kwargs):
        encounters = self.object.encounters.visible_to(self.request.user)
        return super().get_context_data(
            encounters=encounters.select_related("case_study"), **kwargs
        )


class SourceDetailView(DetailView):
    model = Source
