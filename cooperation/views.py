"""Public pages for the core domain: actors, mechanisms, challenges, topics and sources.

Every page builds its lists through `visible_to(user)`, so the public sees published entries only
and editors also see drafts, marked as such."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from cooperation import references
from cooperation.citing import CITING_SHOWN, citing
from cooperation.editorial.revisions import open_revision, previewing
from cooperation.limits import ENTRIES_PER_PAGE
from cooperation.models import (
    Actor,
    Challenge,
    Mechanism,
    Membership,
    Source,
    Topic,
    sees_drafts,
    visibility_class,
)
from cooperation.releases.citation import Citation
from cooperation.releases.public_record import frozen_release, public_changes_of, withdrawn_page
from cooperation.rendering import render_with_references

# A record page lists at most this many of its case studies, with a link to all of them in the
# filterable list: a record used in thousands of case studies must not cost thousands of rows.
CASE_STUDIES_SHOWN = 25


def latest_case_study_links(links):
    """The links to the most recently added case studies, and how many there are in all."""
    shown = list(links.select_related("case_study").order_by("-case_study_id")[:CASE_STUDIES_SHOWN])
    return shown, links.count()


def topics_referring_to(record, user):
    """The topics the user may see whose text refers to `record` (the record page's backlinks)."""
    return Topic.objects.visible_to(user).referring_to(record).only("title", "slug", "status")


class VisibleToUserMixin:
    """Lists and looks up only what the requesting user may see. A page that may show drafts (to
    an editor previewing them) is marked private and never served from a cache. It reads no
    query parameter (cooperation.caching.pages drops the others) unless it says so."""

    query_parameters = ()

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if sees_drafts(self.request.user, self.model):
            patch_cache_control(response, private=True, no_cache=True)
        return response


class PreviewChangesMixin(VisibleToUserMixin):
    """An entry's page: with `?preview=changes`, it shows whoever may change the entry how its
    changes waiting for review would make the page (cooperation.editorial.revisions); everyone
    else gets the page as published. It says how to cite the entry and lists its public changes;
    an entry withdrawn from the public answers 410 Gone, saying when and why."""

    query_parameters = ("preview",)

    def previewed_revision(self):
        if self.request.GET.get("preview") != "changes" or frozen_release(self.request):
            return None
        if not sees_drafts(self.request.user, self.model):
            return None
        slug = self.kwargs.get(self.slug_url_kwarg)
        return open_revision(self.model._default_manager.filter(slug=slug).first())

    def get(self, request, *args, **kwargs):
        try:
            return self.get_page(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get(self.slug_url_kwarg)
            gone = None if frozen_release(request) else withdrawn_page(request, self.model, slug)
            if gone is None:
                raise
            return gone

    def get_page(self, request, *args, **kwargs):
        revision = self.previewed_revision()
        if revision is None:
            return super().get(request, *args, **kwargs)
        with previewing(revision):
            response = super().get(request, *args, **kwargs)
            response.context_data["previewed_changes"] = revision
            return response.render()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citation"] = Citation.of(self.object, self.request, timezone.localdate())
        context["citation_kind"] = references.kind_of(self.model).key
        context["frozen_release"] = frozen_release(self.request)
        context["public_changes"] = public_changes_of(self.object)
        return context


class ActorListView(VisibleToUserMixin, ListView):
    model = Actor
    paginate_by = ENTRIES_PER_PAGE
    query_parameters = ("page",)

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class ActorDetailView(PreviewChangesMixin, DetailView):
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
        links = self.object.participations.visible_to(self.request.user)
        participations, total = latest_case_study_links(links)
        role_order = {role: rank for rank, role in enumerate(links.model.Role.values)}
        participations.sort(key=lambda link: role_order[link.role])
        return super().get_context_data(
            participations=participations,
            case_study_count=total,
            topics=topics_referring_to(self.object, self.request.user),
            **kwargs,
        )


class MechanismListView(VisibleToUserMixin, ListView):
    query_parameters = ("page",)
    model = Mechanism
    paginate_by = ENTRIES_PER_PAGE

    def get_queryset(self):
        visible = Mechanism.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("parent", queryset=visible))


class MechanismDetailView(PreviewChangesMixin, DetailView):
    model = Mechanism

    def get_queryset(self):
        visible = Mechanism.objects.visible_to(self.request.user)
        challenges = Challenge.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("parent", queryset=visible),
                Prefetch("components", queryset=visible),
                Prefetch("mitigates", queryset=challenges),
                "sources",
            )
        )

    def get_context_data(self, **kwargs):
        uses, total = latest_case_study_links(self.object.uses.visible_to(self.request.user))
        return super().get_context_data(
            uses=uses,
            case_study_count=total,
            topics=topics_referring_to(self.object, self.request.user),
            **kwargs,
        )


class ChallengeListView(VisibleToUserMixin, ListView):
    query_parameters = ("page",)
    model = Challenge
    paginate_by = ENTRIES_PER_PAGE


class ChallengeDetailView(PreviewChangesMixin, DetailView):
    model = Challenge

    def get_queryset(self):
        mechanisms = Mechanism.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("mitigated_by", queryset=mechanisms), "sources")
        )

    def get_context_data(self, **kwargs):
        links = self.object.encounters.visible_to(self.request.user)
        encounters, total = latest_case_study_links(links)
        return super().get_context_data(
            encounters=encounters,
            case_study_count=total,
            topics=topics_referring_to(self.object, self.request.user),
            **kwargs,
        )


class TopicListView(VisibleToUserMixin, ListView):
    model = Topic

    def get_queryset(self):
        return super().get_queryset().only("title", "slug", "summary", "nav_order", "status")


class TopicDetailView(PreviewChangesMixin, DetailView):
    """A topic's text with its references as links, the records it refers to by kind, and the
    other topics in navigation order."""

    model = Topic

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sources")

    def get_context_data(self, **kwargs):
        body, referenced = render_with_references(self.object.body, self.request.user)
        return super().get_context_data(
            body=body,
            referenced=referenced,
            topics=Topic.objects.visible_to(self.request.user).only("title", "slug", "status"),
            **kwargs,
        )


class SourceDetailView(VisibleToUserMixin, DetailView):
    """A source, and every record and claim the user may see that cites it (cooperation.citing)."""

    model = Source

    def get_context_data(self, **kwargs):
        records, claims = citing(self.object, self.request.user)
        return super().get_context_data(
            citing_records=records, citing_claims=claims, citing_shown=CITING_SHOWN, **kwargs
        )

    def render_to_response(self, context, **kwargs):
        # Sources have no drafts, but what cites one may be a draft the user sees.
        response = super().render_to_response(context, **kwargs)
        if visibility_class(self.request.user) != "public":
            patch_cache_control(response, private=True, no_cache=True)
        return response
