"""The map page and its CSV."""

from casestudies.charts.map import map_legend, world_map
from casestudies.charts.world import world
from casestudies.insight.map import countries
from casestudies.insight.views.base import (
    Cell,
    Chart,
    InsightCSVView,
    InsightMixin,
    InsightPageView,
    Table,
)


class MapMixin(InsightMixin):
    page = "map"

    def get_countries(self):
        return countries(self.get_queryset(), self.request.user)

    def country_url(self, row):
        """The list of the selection's case studies of this country (as the map counts them)."""
        return self.narrowed(country=row.slug)

    def countries_table(self, counts=None):
        counts = counts or self.get_countries()
        table = Table(
            caption="Case studies per country: as a country of operation, taking part, and either",
            columns=[
                "Country",
                "ISO 3166 code",
                "Country of operation",
                "Taking part",
                "Case studies",
            ],
        )
        for row in counts.rows:
            table.rows.append(
                [
                    Cell(row.name, row.url),
                    Cell(row.code),
                    Cell(row.operations),
                    Cell(
                        row.participations,
                        self.narrowed(actor=row.slug) if row.participations else "",
                    ),
                    Cell(row.total, self.country_url(row) if row.total else ""),
                ]
            )
        return table


class MapView(MapMixin, InsightPageView):
    template_name = "casestudies/map.html"

    def get_context_data(self, **kwargs):
        counts = self.get_countries()
        shaded = len(counts.with_case_studies)
        title = f"Map of {shaded} countr{'y' if shaded == 1 else 'ies'} with case studies"
        desc = (
            "A world map: each country in which the selected case studies take place, or which "
            "takes part in them, is shaded by how many there are (darker for more) and links to "
            "them; countries without any are grey, and those not in the atlas are hatched. The "
            "same numbers are in the table below the map."
        )
        drawn = world().shapes
        chart = Chart(
            id="map-chart",
            title=title,
            svg=world_map("map-chart", title, desc, counts, self.country_url)
            if counts.total
            else "",
            table=self.countries_table(counts),
            csv_url=self.csv_url("map", "countries"),
            csv_label="The countries as CSV",
        )
        return super().get_context_data(
            countries=counts,
            chart=chart,
            legend=map_legend("map-chart", counts) if counts.total else "",
            not_drawn=[row for row in counts.rows if row.code.lower() not in drawn],
            **kwargs,
        )


class MapCSVView(MapMixin, InsightCSVView):
    tables = {"countries": "countries_table"}
