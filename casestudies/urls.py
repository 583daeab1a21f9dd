from django.urls import path, re_path

from casestudies import exports, insight_views, views

app_name = "casestudies"

urlpatterns = [
    path("", views.CaseStudyListView.as_view(), name="list"),
    path("export.csv", exports.CSVExportView.as_view(), name="export-csv"),
    path("export.json", exports.JSONExportView.as_view(), name="export-json"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("timeline/", insight_views.TimelineView.as_view(), name="timeline"),
    re_path(
        r"^timeline/(?P<chart>case-studies)\.csv$",
        insight_views.TimelineCSVView.as_view(),
        name="timeline-csv",
    ),
    path("network/", insight_views.NetworkView.as_view(), name="network"),
    re_path(
        r"^network/(?P<chart>actors|links)\.csv$",
        insight_views.NetworkCSVView.as_view(),
        name="network-csv",
    ),
    path("statistics/", insight_views.StatisticsView.as_view(), name="statistics"),
    re_path(
        r"^statistics/(?P<chart>eras|regions|mechanisms|matrix|outcomes-by-mechanism)\.csv$",
        insight_views.StatisticsCSVView.as_view(),
        name="statistics-csv",
    ),
    path("<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    re_path(
        r"^(?P<slug>[-\w]+)/cite\.(?P<format>bib|ris)$", views.CitationView.as_view(), name="cite"
    ),
]
