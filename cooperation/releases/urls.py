"""The releases' pages, under the `releases` namespace at /releases/."""

from django.urls import path, re_path

from cooperation.models.releases import VERSION_PATTERN
from cooperation.releases import views

app_name = "releases"

VERSION = f"(?P<version>{VERSION_PATTERN})"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="list"),
    re_path(rf"^{VERSION}/$", views.ReleaseDetailView.as_view(), name="detail"),
    re_path(rf"^{VERSION}/changes/$", views.ReleaseChangesView.as_view(), name="changes"),
    re_path(
        rf"^{VERSION}/download\.(?P<kind>zip|json)$",
        views.ReleaseDownloadView.as_view(),
        name="download",
    ),
    re_path(
        rf"^{VERSION}/cite\.(?P<format>bib|ris|json)$",
        views.ReleaseCitationView.as_view(),
        name="cite",
    ),
    re_path(rf"^{VERSION}/(?P<path>.+/)$", views.FrozenRecordView.as_view(), name="record"),
]
