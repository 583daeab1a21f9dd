from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from casestudies.models import CaseStudy

FEED_LENGTH = 30


class CaseStudyFeed(Feed):
    """Newly published or updated case studies; published ones only, whoever asks."""

    feed_type = Atom1Feed
    title = "Counterterrorism Cooperation Atlas: case studies"
    subtitle = "Case studies newly published or updated in the atlas."
    link = reverse_lazy("casestudies:list")

    def items(self):
        return CaseStudy.objects.published().order_by("-updated_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
