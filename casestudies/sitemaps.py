from django.contrib.sitemaps import Sitemap

from casestudies.models import CaseStudy


class CaseStudySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return CaseStudy.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
