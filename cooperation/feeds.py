from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from cooperation.models import Topic

FEED_LENGTH = 30


class PublishedEntriesFeed(Feed):
    """Newly published or updated entries of `model` (with a `summary`); published ones only,
    whoever asks."""

    feed_type = Atom1Feed
    model = None

    def items(self):
        return self.model.objects.published().order_by("-updated_at")[:FEED_LENGTH]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        # Atom sends the description as type="html": the plain-text summary is escaped into
        # paragraphs, so a feed reader shows markup in it as text rather than running it.
        return linebreaks(item.summary, autoescape=True)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class TopicFeed(PublishedEntriesFeed):
    model = Topic
    title = "Counterterrorism Cooperation Atlas: topics"
    subtitle = "Analysis pages newly published or updated in the atlas."
    link = reverse_lazy("cooperation:topic-list")
