"""The timeline page and its CSV."""

from casestudies.charts.timeline import timeline_chart
from casestudies.insight.timeline import COLOUR_BY, timeline
from casestudies.insight.views.base import (
    Cell,
    Chart,
    InsightCSVView,
    InsightMixin,
    InsightPageView,
    Table,
)


class TimelineMixin(InsightMixin):
    page = "timeline"

    def colour_by(self):
        value = self.request.GET.get("colour_by")
        return value if value in COLOUR_BY else "era"

    def get_timeline(self):
        return timeline(self.get_queryset(), self.request.user)

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
        group_label = COLOUR_BY[colour_by]
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
            svg=timeline_chart("timeline-chart", title, desc, timeline, colour_by, group_label)
            if drawn
            else "",
            table=self.timeline_table(timeline),
            csv_url=self.csv_url("timeline", "case-studies"),
            csv_label="The timeline's case studies as CSV",
        )
        colour_choices = [
            (value, label, self.filter_query(colour_by=value), value == colour_by)
            for value, label in COLOUR_BY.items()
        ]
        return super().get_context_data(
            timeline=timeline,
            chart=chart,
            colour_choices=colour_choices,
            **kwargs,
        )


class TimelineCSVView(TimelineMixin, InsightCSVView):
    tables = {"case-studies": "timeline_table"}
