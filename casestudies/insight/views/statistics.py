"""The statistics page and the CSV of each of its charts."""

from functools import partial

from casestudies.charts.bars import bar_chart, heat_map, stacked_bar_chart
from casestudies.insight import statistics
from casestudies.insight.statistics import Matrix
from casestudies.insight.timeline import NO_ERA
from casestudies.insight.views.base import (
    Cell,
    Chart,
    InsightCSVView,
    InsightMixin,
    InsightPageView,
    Table,
)


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
        counts = counts or statistics.eras(self.get_queryset(), self.request.user)
        table = self.tally_table("Case studies per era", "Era", counts, "era")
        if counts.others:
            table.rows.append([Cell(NO_ERA[1]), Cell(counts.others)])
        return table

    def regions_table(self, counts=None):
        counts = counts or statistics.regions(self.get_queryset(), self.request.user)
        return self.tally_table("Case studies per region", "Region", counts, "region")

    def mechanisms_table(self, counts=None):
        counts = counts or statistics.mechanisms(self.get_queryset(), self.request.user)
        return self.tally_table("Mechanisms by case studies", "Mechanism", counts, "mechanism")

    def matrix_table(self, matrix=None):
        matrix = matrix or statistics.matrix(self.get_queryset(), self.request.user)
        if not matrix.challenges:
            matrix = Matrix([], [], {}, matrix.mechanisms_total, 0)
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
        result = result or statistics.outcomes_by_mechanism(self.get_queryset(), self.request.user)
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
        eras = statistics.eras(queryset, user)
        regions = statistics.regions(queryset, user)
        mechanisms = statistics.mechanisms(queryset, user)
        matrix = statistics.matrix(queryset, user)
        outcomes = statistics.outcomes_by_mechanism(queryset, user)
        # With no case study selected there is nothing to draw: only tables of zeros.
        chart = partial(self.chart, empty=not regions.total)

        def bars(table, category_label):
            rows = [(row[0].value, row[1].value) for row in table.rows]
            return lambda *head: bar_chart(*head, rows, category_label=category_label)

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
                lambda *head: heat_map(
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
                lambda *head: stacked_bar_chart(
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
