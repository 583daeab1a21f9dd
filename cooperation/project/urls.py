"""Root URLs: the site-wide pages, the admin, and each app's own URLconf."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from casestudies.feeds import CaseStudyFeed
from casestudies.sitemaps import CaseStudySitemap
from cooperation import sitemaps
from cooperation.admin.views import AuditView, ExchangeView
from cooperation.feeds import TopicFeed
from cooperation.project.views import (
    CodebookView,
    EraDetailView,
    EraListView,
    HomeView,
    RegionDetailView,
    RegionListView,
    SearchView,
)
from cooperation.releases.public_record import ChangelogFeed, ChangelogView
from cooperation.releases.views import RecordCitationView

SITEMAPS = {**sitemaps.sitemaps(), "case-studies": CaseStudySitemap()}


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("codebook/", CodebookView.as_view(), name="codebook"),
    path("regions/", RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", RegionDetailView.as_view(), name="region-detail"),
    path("eras/", EraListView.as_view(), name="era-list"),
    path("eras/<slug:slug>/", EraDetailView.as_view(), name="era-detail"),
    path("case-studies/", include("casestudies.urls")),
    path("feeds/case-studies/", CaseStudyFeed(), name="casestudy-feed"),
    path("feeds/topics/", TopicFeed(), name="topic-feed"),
    path("feeds/changes/", ChangelogFeed(), name="changes-feed"),
    path("changes/", ChangelogView.as_view(), name="changes"),
    path("releases/", include("cooperation.releases.urls")),
    re_path(
        r"^cite/(?P<kind>[-a-z]+)/(?P<slug>[-\w]+)\.(?P<format>bib|ris|json)$",
        RecordCitationView.as_view(),
        name="cite",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("cooperation.urls")),
    path(
        "admin/atlas/exchange/",
        admin.site.admin_view(ExchangeView.as_view()),
        name="atlas-exchange",
    ),
    path(
        "admin/atlas/audit/",
        admin.site.admin_view(AuditView.as_view()),
        name="atlas-audit",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cooperation.project.api_urls")),
]
