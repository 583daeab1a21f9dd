"""Exports of exactly the case studies a filtered list shows, as CSV and JSON. Both stream: rows
are read in chunks and written as they come, so a large result never sits in memory."""

import csv
import json

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.views import View

from casestudies.views import FilteredCaseStudiesMixin
from cooperation.models import Actor, Challenge, Mechanism

CHUNK_SIZE = 500
COLUMNS = [
    "slug",
    "title",
    "url",
    "status",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "era",
    "outcome",
    "regions",
    "participants",
    "mechanisms",
    "challenges",
    "summary",
    "updated_at",
]


def export_queryset(queryset, user):
    return (
        queryset.with_era()
        .prefetch_related(
            "regions",
            Prefetch("participation_set__actor", queryset=Actor.objects.visible_to(user)),
            Prefetch("mechanismuse_set__mechanism", queryset=Mechanism.objects.visible_to(user)),
            Prefetch(
                "challengeencounter_set__challenge", queryset=Challenge.objects.visible_to(user)
            ),
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def export_row(case_study, absolute):
    def linked(links, field):
        return [getattr(link, field).slug for link in links.all() if getattr(link, field)]

    return {
        "slug": case_study.slug,
        "title": case_study.title,
        "url": absolute(case_study.get_absolute_url()),
        "status": case_study.status,
        "start_date": case_study.start_date.isoformat(),
        "start_precision": case_study.start_precision,
        "end_date": case_study.end_date.isoformat() if case_study.end_date else None,
        "end_precision": case_study.end_precision if case_study.end_date else None,
        "era": case_study.era_slug,
        "outcome": case_study.outcome,
        "regions": [region.slug for region in case_study.regions.all()],
        "participants": linked(case_study.participation_set, "actor"),
        "mechanisms": linked(case_study.mechanismuse_set, "mechanism"),
        "challenges": linked(case_study.challengeencounter_set, "challenge"),
        "summary": case_study.summary,
        "updated_at": case_study.updated_at.isoformat(),
    }


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, list):
        value = ";".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what is written, for csv.writer to stream through."""

    def write(self, value):
        return value


class ExportView(FilteredCaseStudiesMixin, View):
    content_type = None
    extension = None

    def rows(self):
        for case_study in export_queryset(self.get_queryset(), self.request.user):
            yield export_row(case_study, self.request.build_absolute_uri)

    def get(self, request, *args, **kwargs):
        response = StreamingHttpResponse(self.stream(), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="case-studies.{self.extension}"'
        return response


class CSVExportView(ExportView):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def stream(self):
        writer = csv.writer(Echo())
        yield writer.writerow(COLUMNS)
        for row in self.rows():
            yield writer.writerow(spreadsheet_safe(row[column]) for column in COLUMNS)


class JSONExportView(ExportView):
    content_type = "application/json"
    extension = "json"

    def stream(self):
        yield "["
        for index, row in enumerate(self.rows()):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"
