from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cooperation.models import Actor, Challenge, Era, Mechanism, Region, Topic


class PublishedSitemap(Sitemap):
    """Published entries of one model."""

    changefreq = "monthly"

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ReferenceSitemap(PublishedSitemap):
    """Regions and eras, which have no drafts."""

    def items(self):
        return self.model.objects.order_by("pk")


class ListPagesSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "casestudies:list",
            "cooperation:actor-list",
            "cooperation:mechanism-list",
            "cooperation:challenge-list",
            "cooperation:topic-list",
            "region-list",
            "era-list",
            "codebook",
        ]

    def location(self, item):
        return reverse(item)


def sitemaps():
    return {
        "pages": ListPagesSitemap(),
        "actors": PublishedSitemap(Actor),
        "mechanisms": PublishedSitemap(Mechanism),
        "challenges": PublishedSitemap(Challenge),
        "topics": PublishedSitemap(Topic),
        "regions": ReferenceSitemap(Region),
        "eras": ReferenceSitemap(Era),
    }
