"""Root URLs: the site-wide pages, the admin, and each app's own URLconf."""

from django.contrib import admin
from django.urls import include, path

from cooperation.home import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("case-studies/", include("casestudies.urls")),
    path("", include("cooperation.domain_urls")),
    path("admin/", admin.site.urls),
]
