"""The case studies' Atom feed, of the whole list or of any filtered one: the list's filters in
the feed's query string (`/feeds/case-studies/?region=europe`) select what it follows."""

from django.http import HttpResponseBadRequest
from django.urls import reverse

from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy
from cooperation.feeds import FEED_LENGTH, PublishedEntriesFeed


class FiltersNotUnderstood(Exception):
    pass


class CaseStudyFeed(PublishedEntriesFeed):
    model = CaseStudy
    subtitle = "Case studies newly published or updated in the atlas."
    # Every filter of the list, and nothing else, keys the page cache (cooperation.caching).
    query_parameters = tuple(name for name in CaseStudyFilterSet.base_filters if name != "ordering")

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FiltersNotUnderstood as error:  # as the exports answer (casestudies.views)
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        """The filtered selection: published case studies only, whoever asks."""
        query = request.GET.copy()
        query.pop("ordering", None)
        filterset = CaseStudyFilterSet(query, queryset=CaseStudy.objects.published())
        if not filterset.is_valid():
            named = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
            )
            raise FiltersNotUnderstood(f"Filters not understood: {named}\n")
        return filterset, query.urlencode()

    def items(self, selection):
        filterset, _ = selection
        return filterset.qs.order_by("-updated_at")[:FEED_LENGTH]

    def link(self, selection):
        _, query = selection
        return reverse("casestudies:list") + (f"?{query}" if query else "")

    def title(self, selection):
        _, query = selection
        base = "Counterterrorism Cooperation Atlas: case studies"
        return f"{base} ({query.replace('&', ', ').replace('=', ': ')})" if query else base
