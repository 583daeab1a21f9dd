"""What the insight pages share: the filters of the case-study list, the chart with its numbers as a
table, and the same numbers as CSV."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from casestudies.views import FilteredCaseStudiesMixin
from cooperation.exchange.csv import csv_lines

# Parameters of the insight pages themselves, not filters: left out of links to the list.
OWN_PARAMETERS = ("colour_by", "page")


@dataclass(frozen=True)
class Cell:
    value: object
    url: str = ""


@dataclass
class Table:
    """A chart's numbers: a caption, column headings, and rows whose first cell heads the row."""

    caption: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cell

    def csv_rows(self):
        yield self.columns
        for row in self.rows:
            yield [cell.value for cell in row]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: str
    table: Table
    csv_url: str
    csv_label: str
    note: str = ""


FILTER_LABELS = {
    "q": "Search",
    "region": "Region",
    "era": "Era",
    "outcome": "Outcome",
    "mechanism": "Mechanism",
    "challenge": "Challenge",
    "actor": "Actor",
    "country": "Country",
    "actor_kind": "Kind of actor",
    "year_from": "Active from year",
    "year_to": "Active until year",
}


def active_filters(filterset):
    """The filters in force, as (label, [value labels]), for the page to say what it shows."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    described = []
    for name, form_field in filterset.form.fields.items():
        value = cleaned.get(name)
        if name not in FILTER_LABELS or value is None or value == "":
            continue
        if not isinstance(value, list | tuple | QuerySet):
            value = [value]
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            labels = [str(item) for item in value]
        else:
            choices = dict(getattr(form_field, "choices", None) or [])
            labels = [str(choices.get(item, item)) for item in value]
        if labels:
            described.append((FILTER_LABELS[name], labels))
    return described


class InsightMixin(FilteredCaseStudiesMixin):
    """What every insight page and CSV shares: the filtered case studies, and links that keep
    the filter."""

    query_parameters = (*FilteredCaseStudiesMixin.query_parameters, *OWN_PARAMETERS)

    def filter_query(self, **changes):
        """The request's filters as a query string (with '?'), with parameters replaced."""
        query = self.request.GET.copy()
        for name in OWN_PARAMETERS:
            query.pop(name, None)
        for name, value in changes.items():
            query[name] = value
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""

    def narrowed(self, **values):
        """The list of the selection's case studies that also have these values, or "" when the
        list cannot express it exactly (another value of the same filter is already chosen:
        several values of one filter mean any of them)."""
        for name, value in values.items():
            chosen = self.request.GET.getlist(name)
            if chosen and value not in chosen:
                return ""
        return reverse("casestudies:list") + self.filter_query(**values)

    def csv_url(self, page, chart):
        return reverse(f"casestudies:{page}-csv", args=[chart]) + self.filter_query()


class InsightPageView(InsightMixin, TemplateView):
    page = None

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        query = self.filter_query()
        pages = [
            (name, label, reverse(f"casestudies:{name}") + query, name == self.page)
            for name, label in [
                ("timeline", "Timeline"),
                ("network", "Cooperation network"),
                ("statistics", "Statistics"),
                ("map", "Map"),
            ]
        ]
        return super().get_context_data(
            filterset=filterset,
            filters=active_filters(filterset),
            list_url=reverse("casestudies:list") + query,
            insight_pages=pages,
            **kwargs,
        )


class CSVView(View):
    """Writes a Table as a CSV download; render_to_response lets VisibleToUserMixin mark an
    editor's download private."""

    def render_to_response(self, context):
        table = context["table"]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{context["filename"]}"'
        response.writelines(csv_lines(table.csv_rows()))
        return response


class InsightCSVView(InsightMixin, CSVView):
    page = None
    tables = {}

    def get(self, request, *args, chart, **kwargs):
        if chart not in self.tables:
            raise Http404("No such chart.")
        refused = self.refuse_invalid_filters()
        if refused is not None:
            return refused
        table = getattr(self, self.tables[chart])()
        return self.render_to_response({"table": table, "filename": f"{self.page}-{chart}.csv"})
