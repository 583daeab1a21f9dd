"""Exports of exactly the case studies a filtered list shows, as CSV and JSON. Both stream: rows
are read in chunks and written as they come, so a large result never sits in memory."""

import collections
import itertools
import json
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from casestudies.views import FilteredCaseStudiesMixin
from cooperation.exchange.csv import LINES_PER_WRITE, stream_csv
from cooperation.models import Actor, Challenge, Mechanism, Region

CHUNK_SIZE = 500
SLUG_MARK = "slug-of-the-case-study"
# The links each row lists (slugs joined by ";" in CSV, arrays in JSON).
LINK_COLUMNS = ["regions", "participants", "mechanisms", "challenges"]
COLUMNS = [
    "slug",
    "title",
    "url",
    "status",
    "start_date",
    "start_precision",
    "start_latest",
    "end_date",
    "end_precision",
    "end_latest",
    "lifecycle",
    "era",
    "outcome",
    "outcome_as_of",
    "reviewed_on",
    *LINK_COLUMNS,
    "summary",
    "updated_at",
]


CASE_STUDY_FIELDS = [
    "id",
    "slug",
    "title",
    "status",
    "start_date",
    "start_precision",
    "start_latest",
    "end_date",
    "end_precision",
    "end_latest",
    "era_slug",
    "outcome",
    "outcome_as_of",
    "reviewed_on",
    "summary",
    "updated_at",
]


def iso(date):
    return date.isoformat() if date else None


@dataclass(frozen=True)
class LinkTable:
    """One kind of link the export lists: its table's case-study and linked columns, and the
    slug of every linked record the reader may see (read once: a few thousand at most)."""

    model: type
    case_study_field: str
    linked_field: str
    slugs: dict

    def slugs_by_case_study(self, ids):
        """{case study id: [slugs]} for one chunk's case studies: an index scan of the link
        table, unordered (each row's slugs are sorted as they are written)."""
        grouped = collections.defaultdict(list)
        slugs = self.slugs
        pairs = self.model.objects.filter(**{f"{self.case_study_field}__any_of": ids})
        for case_study_id, linked in pairs.order_by().values_list(
            self.case_study_field, self.linked_field
        ):
            slug = slugs.get(linked)
            if slug is not None:  # a record the reader may not see is left out
                grouped[case_study_id].append(slug)
        return grouped


def export_rows(queryset, user, absolute):
    """Export rows in the queryset's order, a chunk at a time: tuples of plain values in the
    order of COLUMNS, not model instances, and five queries per chunk whatever its links."""

    # The chunk's case studies are already the visible ones; only the linked records' own
    # visibility is left to check, against the slugs of those the reader may see.
    def visible_slugs(model):
        return dict(model.objects.visible_to(user).order_by().values_list("pk", "slug"))

    links = {
        "regions": LinkTable(
            CaseStudy.regions.through,
            "casestudy_id",
            "region_id",
            dict(Region.objects.order_by().values_list("pk", "slug")),
        ),
        "participants": LinkTable(Participation, "case_study_id", "actor_id", visible_slugs(Actor)),
        "mechanisms": LinkTable(
            MechanismUse, "case_study_id", "mechanism_id", visible_slugs(Mechanism)
        ),
        "challenges": LinkTable(
            ChallengeEncounter, "case_study_id", "challenge_id", visible_slugs(Challenge)
        ),
    }
    today = timezone.localdate()
    # Every row's URL from one reversed template: a slug needs no quoting ([-\w]), and a
    # reverse() and an absolute URL per row were a fifth of the export's time.
    url_before, url_after = absolute(reverse("casestudies:detail", args=[SLUG_MARK])).split(
        SLUG_MARK
    )
    rows = queryset.with_era().values(*CASE_STUDY_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        ids = [row["id"] for row in chunk]
        linked = [links[name].slugs_by_case_study(ids) for name in LINK_COLUMNS]
        for row in chunk:
            end_date = row["end_date"]
            yield (
                row["slug"],
                row["title"],
                f"{url_before}{row['slug']}{url_after}",
                row["status"],
                row["start_date"].isoformat(),
                row["start_precision"],
                iso(row["start_latest"]),
                end_date.isoformat() if end_date else None,
                row["end_precision"] if end_date else None,
                iso(row["end_latest"]),
                (
                    CaseStudy.Lifecycle.ACTIVE
                    if end_date is None or end_date > today
                    else CaseStudy.Lifecycle.ENDED
                ),
                row["era_slug"],
                row["outcome"],
                iso(row["outcome_as_of"]),
                iso(row["reviewed_on"]),
                *(sorted(found.get(row["id"], ())) for found in linked),
                row["summary"],
                row["updated_at"].isoformat(),
            )


class ExportView(FilteredCaseStudiesMixin, View):
    content_type = None
    extension = None

    def rows(self):
        return export_rows(self.get_queryset(), self.request.user, self.request.build_absolute_uri)

    def get(self, request, *args, **kwargs):
        refused = self.refuse_invalid_filters()
        if refused is not None:
            return refused
        response = StreamingHttpResponse(self.stream(), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="case-studies.{self.extension}"'
        return response


class CSVExportView(ExportView):
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def stream(self):
        return stream_csv(COLUMNS, self.rows())


class JSONExportView(ExportView):
    content_type = "application/json"
    extension = "json"

    def stream(self):
        yield "["
        rows = (
            json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False)
            for row in self.rows()
        )
        for index, batch in enumerate(itertools.batched(rows, LINES_PER_WRITE)):
            yield ("," if index else "") + "\n" + ",\n".join(batch)
        yield "\n]\n"
