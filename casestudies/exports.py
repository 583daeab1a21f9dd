"""Exports of exactly the case studies a filtered list shows, as CSV and JSON. Both stream: rows
are read in chunks and written as they come, so a large result never sits in memory."""

import collections
import itertools
import json

from django.db import connections
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from casestudies.models import CaseStudy, ChallengeEncounter, MechanismUse, Participation
from casestudies.views import FilteredCaseStudiesMixin
from cooperation.exchange.csv import LINES_PER_WRITE, stream_csv

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


# Each link column's table: its model, and its fields naming the case study and the linked record.
LINK_TABLES = {
    "regions": (CaseStudy.regions.through, "casestudy", "region"),
    "participants": (Participation, "case_study", "actor"),
    "mechanisms": (MechanismUse, "case_study", "mechanism"),
    "challenges": (ChallengeEncounter, "case_study", "challenge"),
}


def visible_slugs(link_table, user):
    """{primary key: slug} of the records of a link table's kind that `user` may see."""
    model, _, linked_field = link_table
    linked_model = model._meta.get_field(linked_field).related_model
    return dict(linked_model.objects.visible_to(user).order_by().values_list("pk", "slug"))


def linked_ids(connection, ids):
    """(link column's number in LINK_COLUMNS, case study id, linked record's id) for every link
    of the case studies `ids`, unordered, in one query: the ids are sent once, as one parameter,
    and each link table is read by index alone (its unique index on the case study and the
    linked record). A query per table with the ids as a list spent more time sending and
    planning the ids (and on PostgreSQL, starting parallel workers) than reading the links."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        chunk, params = "SELECT unnest(%s::bigint[]) AS id", [list(ids)]
    else:
        chunk, params = "SELECT value AS id FROM json_each(%s)", [json.dumps(list(ids))]
    selects = []
    for number, name in enumerate(LINK_COLUMNS):
        model, case_study_field, linked_field = LINK_TABLES[name]
        case_study, linked = (
            quote(model._meta.get_field(field).column) for field in (case_study_field, linked_field)
        )
        selects.append(  # identifiers from model metadata, quoted; the ids are a parameter
            f"SELECT {number}, {case_study}, {linked} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {case_study} IN (SELECT id FROM chunk)"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH chunk AS ({chunk}) {' UNION ALL '.join(selects)}", params)
        return cursor.fetchall()


def export_rows(queryset, user, absolute):
    """Export rows in the queryset's order, a chunk at a time: tuples of plain values in the
    order of COLUMNS, read as tuples (not model instances, nor dicts), and one query per chunk
    for its links of every kind."""

    # The chunk's case studies are already the visible ones; only the linked records' own
    # visibility is left to check, against the slugs of those the reader may see (a few
    # thousand at most, read once).
    slugs = [visible_slugs(LINK_TABLES[name], user) for name in LINK_COLUMNS]
    connection = connections[queryset.db]
    today = timezone.localdate()
    # Every row's URL from one reversed template: a slug needs no quoting ([-\w]), and a
    # reverse() and an absolute URL per row were a fifth of the export's time.
    url_before, url_after = absolute(reverse("casestudies:detail", args=[SLUG_MARK])).split(
        SLUG_MARK
    )
    rows = queryset.with_era().values_list(*CASE_STUDY_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        linked = [collections.defaultdict(list) for _ in LINK_COLUMNS]
        for number, case_study_id, linked_id in linked_ids(connection, [row[0] for row in chunk]):
            linked_slug = slugs[number].get(linked_id)
            if linked_slug is not None:  # a record the reader may not see is left out
                linked[number][case_study_id].append(linked_slug)
        for (
            pk,
            slug,
            title,
            status,
            start_date,
            start_precision,
            start_latest,
            end_date,
            end_precision,
            end_latest,
            era_slug,
            outcome,
            outcome_as_of,
            reviewed_on,
            summary,
            updated_at,
        ) in chunk:
            yield (
                slug,
                title,
                f"{url_before}{slug}{url_after}",
                status,
                start_date.isoformat(),
                start_precision,
                iso(start_latest),
                end_date.isoformat() if end_date else None,
                end_precision if end_date else None,
                iso(end_latest),
                (
                    CaseStudy.Lifecycle.ACTIVE
                    if end_date is None or end_date > today
                    else CaseStudy.Lifecycle.ENDED
                ),
                era_slug,
                outcome,
                iso(outcome_as_of),
                iso(reviewed_on),
                *(sorted(found.get(pk, ())) for found in linked),
                summary,
                updated_at.isoformat(),
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
        # One encoder for every row: json.dumps with an option makes a new one per call, which
        # was a quarter of the rows' encoding time.
        encode = json.JSONEncoder(ensure_ascii=False).encode
        rows = (encode(dict(zip(COLUMNS, row, strict=True))) for row in self.rows())
        for index, batch in enumerate(itertools.batched(rows, LINES_PER_WRITE)):
            yield ("," if index else "") + "\n" + ",\n".join(batch)
        yield "\n]\n"
