"""The insight pages: a timeline, the cooperation network and statistics of the case studies the
shared filters select (the same query string as the list), each chart with its numbers in a table
and as CSV. The aggregates are in casestudies.insight, the drawings in casestudies.charts; the
tables here feed both the page and its CSV, so the two always carry the same numbers."""

import csv
from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from casestudies import charts, insight
from casestudies.exports import spreadsheet_safe
from casestudies.views import FilteredCaseStudiesMixin
from cooperation.models import Actor

# Parameters of the insight pages themselves, not filters: left out of links to the list.
OWN_PARAMETERS = ("colour_by", "page")
NETWORK_LINKS_LISTED = 100


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
            yield [spreadsheet_safe(cell.value) for cell in row]


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
        csv.writer(response).writerows(table.csv_rows())
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


# Timeline


class TimelineMixin(InsightMixin):
    page = "timeline"

    def colour_by(self):
        value = self.request.GET.get("colour_by")
        return value if value in insight.COLOUR_BY else "era"

    def get_timeline(self):
        return insight.timeline(self.get_queryset(), self.request.user)

    def timeline_table(self, timeline=None):
        timeline = timeline or self.get_timeline()
        table = Table(
            caption=f"The {len(timeline.bars)} case studies on the timeline, by start date",
            columns=["Case study", "Start", "End", "Era", "Regions", "Outcome"],
        )
        for bar in timeline.bars:
            table.rows.append(
                [
                    Cell(bar.title, bar.url),
                    Cell(bar.start.isoformat()),
                    Cell(bar.end.isoformat() if bar.end else "ongoing"),
                    Cell(bar.era[1]),
                    Cell("; ".join(name for _, name in bar.regions)),
                    Cell(bar.outcome_label),
                ]
            )
        return table


class TimelineView(TimelineMixin, InsightPageView):
    template_name = "casestudies/timeline.html"

    def get_context_data(self, **kwargs):
        timeline = self.get_timeline()
        colour_by = self.colour_by()
        group_label = insight.COLOUR_BY[colour_by]
        drawn = len(timeline.bars)
        if drawn:
            years = f"{timeline.bars[0].start.year}\N{EN DASH}{timeline.today.year}"
            title = f"Timeline of {drawn} case stud{'y' if drawn == 1 else 'ies'}, {years}"
        else:
            title = "Timeline"
        desc = (
            f"Each case study is a bar from its start to its end, or to today while it is "
            f"ongoing, coloured by {group_label.lower()}; the eras are shaded behind. "
            f"The same information is in the table below the chart."
        )
        chart = Chart(
            id="timeline-chart",
            title=title,
            svg=charts.timeline_chart(
                "timeline-chart", title, desc, timeline, colour_by, group_label
            )
            if drawn
            else "",
            table=self.timeline_table(timeline),
            csv_url=self.csv_url("timeline", "case-studies"),
            csv_label="The timeline's case studies as CSV",
        )
        colour_choices = [
            (value, label, self.filter_query(colour_by=value), value == colour_by)
            for value, label in insight.COLOUR_BY.items()
        ]
        return super().get_context_data(
            timeline=timeline,
            chart=chart,
            colour_choices=colour_choices,
            **kwargs,
        )


class TimelineCSVView(TimelineMixin, InsightCSVView):
    tables = {"case-studies": "timeline_table"}


# Network


class NetworkMixin(InsightMixin):
    page = "network"

    def get_network(self):
        return insight.network(self.get_queryset(), self.request.user)

    def actors_table(self, network=None):
        network = network or self.get_network()
        degree = network.degree()
        table = Table(
            caption=f"The {len(network.nodes)} actors in the network, by case studies",
            columns=["Actor", "Kind", "Case studies", "Linked actors"],
        )
        for node in network.nodes:
            table.rows.append(
                [
                    Cell(node.name, node.url),
                    Cell(node.kind_label),
                    Cell(node.case_studies, self.narrowed(actor=node.slug)),
                    Cell(degree[node.slug]),
                ]
            )
        return table

    def links_table(self, network=None, limit=None):
        network = network or self.get_network()
        links = network.links[:limit] if limit else network.links
        names = {node.slug: node for node in network.nodes}
        table = Table(
            caption=(
                f"The {len(links)} strongest of {len(network.links)} links"
                if len(links) < len(network.links)
                else f"The {len(links)} links in the network"
            ),
            columns=["Actor", "Linked actor", "Shared case studies", "Membership"],
        )
        for link in links:
            source, target = names[link.source], names[link.target]
            table.rows.append(
                [
                    Cell(source.name, source.url),
                    Cell(target.name, target.url),
                    Cell(link.case_studies),
                    Cell("yes" if link.membership else "no"),
                ]
            )
        return table


class NetworkView(NetworkMixin, InsightPageView):
    template_name = "casestudies/network.html"

    def get_context_data(self, **kwargs):
        network = self.get_network()
        drawn = len(network.nodes)
        title = f"Cooperation network of {drawn} actor{'s' if drawn != 1 else ''}"
        desc = (
            "Each circle is an actor, its area by the case studies it takes part in; a line joins "
            "two actors that share case studies (thicker for more) or where one is a member of "
            "the other (dashed). The same information is in the tables below the chart."
        )
        chart = Chart(
            id="network-chart",
            title=title,
            svg=charts.network_chart("network-chart", title, desc, network, Actor.Kind.choices)
            if drawn
            else "",
            table=self.actors_table(network),
            csv_url=self.csv_url("network", "actors"),
            csv_label="The network's actors as CSV",
        )
        return super().get_context_data(
            network=network,
            chart=chart,
            legend=charts.network_legend("network-chart", network, Actor.Kind.choices),
            links_table=self.links_table(network, NETWORK_LINKS_LISTED),
            links_csv_url=self.csv_url("network", "links"),
            links_drawn=min(len(network.links), charts.NETWORK_LINKS),
            link_limit=charts.NETWORK_LINKS,
            **kwargs,
        )


class NetworkCSVView(NetworkMixin, InsightCSVView):
    tables = {"actors": "actors_table", "links": "links_table"}


# Statistics


class StatisticsMixin(InsightMixin):
    page = "statistics"

    def tally_table(self, caption, heading, counts, parameter):
        table = Table(caption=caption, columns=[heading, "Case studies"])
        for row in counts.rows:
            table.rows.append(
                [
                    Cell(row.name, row.url),
                    Cell(row.count, self.narrowed(**{parameter: row.slug}) if row.count else ""),
                ]
            )
        return table

    def eras_table(self, counts=None):
        counts = counts or insight.eras(self.get_queryset(), self.request.user)
        table = self.tally_table("Case studies per era", "Era", counts, "era")
        if counts.others:
            table.rows.append([Cell(insight.NO_ERA[1]), Cell(counts.others)])
        return table

    def regions_table(self, counts=None):
        counts = counts or insight.regions(self.get_queryset(), self.request.user)
        return self.tally_table("Case studies per region", "Region", counts, "region")

    def mechanisms_table(self, counts=None):
        counts = counts or insight.mechanisms(self.get_queryset(), self.request.user)
        return self.tally_table("Mechanisms by case studies", "Mechanism", counts, "mechanism")

    def matrix_table(self, matrix=None):
        matrix = matrix or insight.matrix(self.get_queryset(), self.request.user)
        if not matrix.challenges:
            matrix = insight.Matrix([], [], {}, matrix.mechanisms_total, 0)
        table = Table(
            caption="Case studies using each mechanism (rows) that met each challenge (columns)",
            columns=["Mechanism", *(challenge.name for challenge in matrix.challenges)],
        )
        for mechanism, counts in matrix.rows():
            table.rows.append(
                [
                    Cell(mechanism.name, mechanism.url),
                    *(
                        Cell(
                            count,
                            self.narrowed(mechanism=mechanism.slug, challenge=challenge.slug)
                            if count
                            else "",
                        )
                        for challenge, count in zip(matrix.challenges, counts, strict=True)
                    ),
                ]
            )
        return table

    def outcomes_table(self, result=None):
        result = result or insight.outcomes_by_mechanism(self.get_queryset(), self.request.user)
        table = Table(
            caption="Outcomes of the case studies that used each mechanism",
            columns=["Mechanism", *(label for _, label in result.outcomes), "All"],
        )
        for row in result.rows:
            slug = row.mechanism.slug
            table.rows.append(
                [
                    Cell(row.mechanism.name, row.mechanism.url),
                    *(
                        Cell(count, self.narrowed(mechanism=slug, outcome=value) if count else "")
                        for value, _, count in row.outcomes
                    ),
                    Cell(row.mechanism.count, self.narrowed(mechanism=slug)),
                ]
            )
        return table


class StatisticsView(StatisticsMixin, InsightPageView):
    template_name = "casestudies/statistics.html"

    def get_context_data(self, **kwargs):
        queryset, user = self.get_queryset(), self.request.user
        eras = insight.eras(queryset, user)
        regions = insight.regions(queryset, user)
        mechanisms = insight.mechanisms(queryset, user)
        matrix = insight.matrix(queryset, user)
        outcomes = insight.outcomes_by_mechanism(queryset, user)
        # With no case study selected there is nothing to draw: only tables of zeros.
        chart = partial(self.chart, empty=not regions.total)

        def bars(table, category_label):
            rows = [(row[0].value, row[1].value) for row in table.rows]
            return lambda *head: charts.bar_chart(*head, rows, category_label=category_label)

        eras_table = self.eras_table(eras)
        regions_table = self.regions_table(regions)
        mechanisms_table = self.mechanisms_table(mechanisms)
        shown = [
            chart(
                "eras",
                "Case studies per era",
                "One bar per era: how many of the selected case studies began in it.",
                eras_table,
                bars(eras_table, "Era"),
            ),
            chart(
                "regions",
                "Case studies per region",
                "One bar per region: how many of the selected case studies took place there; "
                "a case study in several regions counts in each.",
                regions_table,
                bars(regions_table, "Region"),
            ),
            chart(
                "mechanisms",
                "Mechanisms by frequency",
                "One bar per mechanism, most used first: how many of the selected case studies "
                "used it.",
                mechanisms_table,
                bars(mechanisms_table, "Mechanism"),
                note=_others_note(len(mechanisms.rows), mechanisms.others, "mechanisms"),
            ),
            chart(
                "matrix",
                "Mechanisms and challenges",
                "A matrix with one cell per mechanism (rows) and challenge (columns): how many of "
                "the selected case studies used the mechanism and met the challenge.",
                self.matrix_table(matrix),
                lambda *head: charts.heat_map(
                    *head,
                    [row.name for row in matrix.mechanisms],
                    [column.name for column in matrix.challenges],
                    [counts for _, counts in matrix.rows()],
                    row_axis="Mechanism",
                    column_axis="Challenge",
                ),
                note=" ".join(
                    note
                    for note in [
                        _others_note(
                            len(matrix.mechanisms), 0, "mechanisms", matrix.mechanisms_total
                        ),
                        _others_note(
                            len(matrix.challenges), 0, "challenges", matrix.challenges_total
                        ),
                    ]
                    if note
                ),
            ),
            chart(
                "outcomes-by-mechanism",
                "Outcomes by mechanism",
                "One bar per mechanism, split by the outcomes of the selected case studies that "
                "used it.",
                self.outcomes_table(outcomes),
                lambda *head: charts.stacked_bar_chart(
                    *head,
                    [
                        (row.mechanism.name, [(value, count) for value, _, count in row.outcomes])
                        for row in outcomes.rows
                    ],
                    outcomes.outcomes,
                    category_label="Mechanism",
                ),
                note=_others_note(len(outcomes.rows), outcomes.others, "mechanisms"),
            ),
        ]
        return super().get_context_data(
            charts=shown, total=regions.total, before_eras=eras.others, **kwargs
        )

    def chart(self, slug, title, desc, table, draw, *, note="", empty=False):
        """A chart drawn by `draw(chart_id, title, desc)`, unless it has nothing to count."""
        chart_id = f"chart-{slug}"
        return Chart(
            id=chart_id,
            title=title,
            svg="" if empty or not table.rows else draw(chart_id, title, desc),
            table=table,
            csv_url=self.csv_url("statistics", slug),
            csv_label=f"{title} as CSV",
            note=note,
        )


def _others_note(shown, others, things, total=None):
    """Says how many of a capped list are left out: "The 20 most frequent of 45 mechanisms."."""
    total = total if total is not None else shown + others
    if total <= shown:
        return ""
    return f"The {shown} most frequent of {total} {things}."


class StatisticsCSVView(StatisticsMixin, InsightCSVView):
    tables = {
        "eras": "eras_table",
        "regions": "regions_table",
        "mechanisms": "mechanisms_table",
        "matrix": "matrix_table",
        "outcomes-by-mechanism": "outcomes_table",
    }
