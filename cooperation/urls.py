"""Root URLs: the site-wide pages, the admin, and each app's own URLconf."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from casestudies.feeds import CaseStudyFeed
from casestudies.sitemaps import CaseStudySitemap
from cooperation import admin_views, site_views, sitemaps
from cooperation.feeds import TopicFeed

SITEMAPS = {**sitemaps.sitemaps(), "case-studies": CaseStudySitemap()}

urlpatterns = [
    path("", site_views.HomeView.as_view(), name="home"),
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("codebook/", site_views.CodebookView.as_view(), name="codebook"),
    path("regions/", site_views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", site_views.RegionDetailView.as_view(), name="region-detail"),
    path("eras/", site_views.EraListView.as_view(), name="era-list"),
    path("eras/<slug:slug>/", site_views.EraDetailView.as_view(), name="era-detail"),
    path("case-studies/", include("casestudies.urls")),
    path("feeds/case-studies/", CaseStudyFeed(), name="casestudy-feed"),
    path("feeds/topics/", TopicFeed(), name="topic-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("cooperation.domain_urls")),
    path(
        "admin/atlas/exchange/",
        admin.site.admin_view(admin_views.ExchangeView.as_view()),
        name="atlas-exchange",
    ),
    path(
        "admin/atlas/audit/",
        admin.site.admin_view(admin_views.AuditView.as_view()),
        name="atlas-audit",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cooperation.api_urls")),
]
