from django.urls import path, re_path

from casestudies import exports, views

app_name = "casestudies"

urlpatterns = [
    path("", views.CaseStudyListView.as_view(), name="list"),
    path("export.csv", exports.CSVExportView.as_view(), name="export-csv"),
    path("export.json", exports.JSONExportView.as_view(), name="export-json"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    re_path(
        r"^(?P<slug>[-\w]+)/cite\.(?P<format>bib|ris)$", views.CitationView.as_view(), name="cite"
    ),
]
