"""The cooperation network page and its CSVs."""

from casestudies.charts.network import NETWORK_LINKS, network_chart, network_legend
from casestudies.insight.network import network
from casestudies.insight.views.base import (
    Cell,
    Chart,
    InsightCSVView,
    InsightMixin,
    InsightPageView,
    Table,
)
from cooperation.models import Actor

NETWORK_LINKS_LISTED = 100


class NetworkMixin(InsightMixin):
    page = "network"

    def get_network(self):
        return network(self.get_queryset(), self.request.user)

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
            columns=["Actor", "Linked actor", "Relation", "Case studies", "Membership"],
        )
        for link in links:
            source, target = names[link.source], names[link.target]
            table.rows.append(
                [
                    Cell(source.name, source.url),
                    Cell(target.name, target.url),
                    Cell("conflict (adversary)" if link.is_conflict else "cooperation"),
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
            "two actors that cooperate in case studies (thicker for more) or where one is a member "
            "of the other (dashed); a dotted red line joins an adversary to those opposed to it, "
            "which is conflict, not cooperation. The same information is in the tables below."
        )
        chart = Chart(
            id="network-chart",
            title=title,
            svg=network_chart("network-chart", title, desc, network, Actor.Kind.choices)
            if drawn
            else "",
            table=self.actors_table(network),
            csv_url=self.csv_url("network", "actors"),
            csv_label="The network's actors as CSV",
        )
        return super().get_context_data(
            network=network,
            chart=chart,
            legend=network_legend("network-chart", network, Actor.Kind.choices),
            links_table=self.links_table(network, NETWORK_LINKS_LISTED),
            links_csv_url=self.csv_url("network", "links"),
            links_drawn=min(len(network.links), NETWORK_LINKS),
            link_limit=NETWORK_LINKS,
            **kwargs,
        )


class NetworkCSVView(NetworkMixin, InsightCSVView):
    tables = {"actors": "actors_table", "links": "links_table"}
