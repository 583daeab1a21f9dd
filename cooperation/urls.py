"""Root URLs: the site-wide pages, the admin, and each app's own URLconf."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from casestudies.feeds import CaseStudyFeed
from casestudies.sitemaps import CaseStudySitemap
from cooperation import sitemaps
from cooperation.site_views import HomeView, SearchView

SITEMAPS = {**sitemaps.sitemaps(), "case-studies": CaseStudySitemap()}

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("case-studies/", include("casestudies.urls")),
    path("feeds/case-studies/", CaseStudyFeed(), name="casestudy-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("cooperation.domain_urls")),
    path("admin/", admin.site.urls),
]
