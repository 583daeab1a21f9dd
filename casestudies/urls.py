from django.urls import path, re_path

from casestudies import exports, views
from casestudies.comparison import CompareView
from casestudies.insight.views.map import MapCSVView, MapView
from casestudies.insight.views.network import NetworkCSVView, NetworkView
from casestudies.insight.views.statistics import StatisticsCSVView, StatisticsView
from casestudies.insight.views.timeline import TimelineCSVView, TimelineView
from cooperation.releases.views import RecordCitationView

app_name = "casestudies"

urlpatterns = [
    path("", views.CaseStudyListView.as_view(), name="list"),
    path("export.csv", exports.CSVExportView.as_view(), name="export-csv"),
    path("export.json", exports.JSONExportView.as_view(), name="export-json"),
    path("compare/", CompareView.as_view(), name="compare"),
    path("facets/<slug:facet>/", views.FacetValuesView.as_view(), name="facet"),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    re_path(
        r"^timeline/(?P<chart>case-studies)\.csv$",
        TimelineCSVView.as_view(),
        name="timeline-csv",
    ),
    path("network/", NetworkView.as_view(), name="network"),
    re_path(
        r"^network/(?P<chart>actors|links)\.csv$",
        NetworkCSVView.as_view(),
        name="network-csv",
    ),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    re_path(
        r"^statistics/(?P<chart>eras|regions|mechanisms|matrix|outcomes-by-mechanism)\.csv$",
        StatisticsCSVView.as_view(),
        name="statistics-csv",
    ),
    path("map/", MapView.as_view(), name="map"),
    re_path(r"^map/(?P<chart>countries)\.csv$", MapCSVView.as_view(), name="map-csv"),
    path("<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    re_path(
        r"^(?P<slug>[-\w]+)/cite\.(?P<format>bib|ris|json)$",
        RecordCitationView.as_view(),
        {"kind": "case-study"},
        name="cite",
    ),
]
