"""The network chart: laid out with networkx, labelled where labels fit."""

import math

import networkx as nx

from casestudies.charts.svg import (
    CHAR_WIDTH,
    CONFLICT_EDGE,
    EDGE,
    INK,
    Fills,
    anchor,
    fit,
    html_legend,
    svg,
    swatch,
    tag,
    text,
    tooltip,
)

LAYOUT_SEED = 8  # the network's layout is the same for the same data


NETWORK_LABELS = 24  # the network names its largest nodes; the others in their tooltips


NETWORK_LINKS = 600  # and draws its strongest links (the layout uses them all)


CENTRE = ("centre",)  # a hidden node no slug can equal


def network_layout(network, *, seed=LAYOUT_SEED):
    """Positions between -1 and 1 for each node, by slug: a force-directed layout (networkx's
    spring_layout) where actors sharing more case studies pull closer. Seeded: the same data
    gives the same drawing."""
    graph = nx.Graph()
    graph.add_nodes_from(node.slug for node in network.nodes)
    for edge in network.links:
        if not edge.is_conflict:  # opponents are not drawn together by their conflict
            graph.add_edge(edge.source, edge.target, weight=1 + math.log(1 + edge.case_studies))
    if not graph:
        return {}
    # A weak pull towards a hidden centre keeps groups of actors that share nothing with the
    # rest near them, instead of flung to the corners (networkx's force layout has no gravity
    # without SciPy).
    graph.add_edges_from((CENTRE, slug, {"weight": 0.3}) for slug in list(graph))
    spread = 2 / math.sqrt(len(graph))  # twice networkx's default distance: room for names
    positions = nx.spring_layout(graph, k=spread, seed=seed, weight="weight", method="force")
    positions.pop(CENTRE)
    xs = [float(x) for x, _ in positions.values()]
    ys = [float(y) for _, y in positions.values()]

    def stretch(value, values):
        low, high = min(values), max(values)
        return 0.0 if high == low else (value - low) / (high - low) * 2 - 1

    return {
        slug: (stretch(float(x), xs), stretch(float(y), ys)) for slug, (x, y) in positions.items()
    }


def _label_places(nodes, place, radius, width, height):
    """Where to write the largest nodes' names: beside, then above or below their circle, where
    the name overlaps no other name or circle; a name that fits nowhere is left out (it is in
    the node's tooltip and the table)."""
    circles = [(*place(node.slug), radius(node)) for node in nodes]
    taken, places = [], {}

    def clear(box, own):
        left, top, right, bottom = box
        if left < 2 or top < 2 or right > width - 2 or bottom > height - 2:
            return False
        if any(left < b[2] and b[0] < right and top < b[3] and b[1] < bottom for b in taken):
            return False
        return not any(
            left - r / 2 < cx < right + r / 2 and top - r / 2 < cy < bottom + r / 2
            for cx, cy, r in circles
            if (cx, cy) != own  # a node's own circle may touch its name
        )

    for node in nodes[:NETWORK_LABELS]:
        label = fit(node.label, 150, 11)
        size = len(label) * 11 * CHAR_WIDTH
        x, y = place(node.slug)
        r = radius(node)
        for anchor_x, anchor_y, side, box in [
            (x + r + 3, y + 4, "start", (x + r + 2, y - 7, x + r + 4 + size, y + 6)),
            (x - r - 3, y + 4, "end", (x - r - 4 - size, y - 7, x - r - 2, y + 6)),
            (x, y - r - 4, "middle", (x - size / 2, y - r - 15, x + size / 2, y - r - 2)),
            (x, y + r + 12, "middle", (x - size / 2, y + r + 1, x + size / 2, y + r + 14)),
        ]:
            fits = clear(box, (x, y))
            if fits:
                taken.append(box)
                places[node.slug] = (anchor_x, anchor_y, side, label)
                break
    return places


def network_chart(chart_id, title, desc, network, kinds):
    """Each actor a circle (its area by its case studies, its colour and pattern by its kind)
    linking to its page; lines between actors that cooperate in case studies (thicker for more)
    or where one is a member of the other (dashed); dotted red lines between an adversary and
    those it is opposed by."""
    width, height, margin = 800, 560, 24
    positions = network_layout(network)
    fills = Fills(chart_id, [key for key, _ in kinds])
    most = max((node.case_studies for node in network.nodes), default=1)
    strongest = max((edge.case_studies for edge in network.links), default=1) or 1
    # Cooperation first, conflict last and in its own colour: never mistaken for cooperation.
    drawn = [edge for edge in network.links if not edge.is_conflict][:NETWORK_LINKS]
    drawn += [edge for edge in network.links if edge.is_conflict][: NETWORK_LINKS // 4]

    def radius(node):
        return 3.5 + 12.5 * math.sqrt(node.case_studies / most)

    def place(slug):
        x, y = positions[slug]
        return (
            width / 2 + x * (width / 2 - margin - 16),
            height / 2 + y * (height / 2 - margin - 16),
        )

    parts = []
    for edge in drawn:
        (ax, ay), (bx, by) = place(edge.source), place(edge.target)
        shared = edge.case_studies
        parts.append(
            tag(
                "line",
                class_="conflict" if edge.is_conflict else "link",
                x1=float(ax),
                y1=float(ay),
                x2=float(bx),
                y2=float(by),
                stroke=CONFLICT_EDGE if edge.is_conflict else EDGE,
                stroke_opacity="0.5",
                stroke_width=float(0.6 + 3.4 * shared / strongest) if shared else 1.0,
                stroke_dasharray="1 3" if edge.is_conflict else (None if shared else "4 3"),
            )
        )
    for node in sorted(network.nodes, key=lambda node: -node.case_studies):
        x, y = place(node.slug)
        counted = f"{node.case_studies} case stud{'y' if node.case_studies == 1 else 'ies'}"
        drawing = tag(
            "circle",
            tooltip(f"{node.name} ({node.kind_label}): {counted}"),
            class_="mark",
            cx=float(x),
            cy=float(y),
            r=float(radius(node)),
            fill=fills.fill(node.kind),
            stroke=INK,
            stroke_width=0.8,
        )
        parts.append(anchor(node.url, f"{node.name}: {counted}", drawing))
    names = [
        text(
            label,
            x,
            y,
            text_anchor=side,
            font_size=11,
            stroke="#ffffff",
            stroke_width=3,
            paint_order="stroke",
            stroke_linejoin="round",
        )
        for x, y, side, label in _label_places(network.nodes, place, radius, width, height).values()
    ]
    # The names repeat the links' names: hidden from screen readers, and let clicks through.
    parts.append(tag("g", "".join(names), aria_hidden="true", pointer_events="none"))
    used = [key for key, _ in kinds if key in {node.kind for node in network.nodes}]
    body = fills.defs(used) + "".join(parts)
    return svg(chart_id, width, height, title, desc, body, role="graphics-document")


def network_legend(chart_id, network, kinds):
    """The network's legend, in HTML beside the drawing so that it stays legible on a phone,
    where the drawing is scaled down. Its swatches use the drawing's patterns."""
    fills = Fills(chart_id, [key for key, _ in kinds])
    used = {node.kind for node in network.nodes}
    items = [(swatch(fills.fill(key)), label) for key, label in kinds if key in used]
    items += [
        (tag("line", x1=0, y1=7, x2=14, y2=7, stroke=EDGE, stroke_width=3), "Shared case studies"),
        (
            tag("line", x1=0, y1=7, x2=14, y2=7, stroke=EDGE, stroke_dasharray="4 3"),
            "Membership only (dashed)",
        ),
    ]
    if any(edge.is_conflict for edge in network.links):
        conflict = tag(
            "line",
            x1=0,
            y1=7,
            x2=14,
            y2=7,
            stroke=CONFLICT_EDGE,
            stroke_width=3,
            stroke_dasharray="1 3",
        )
        items.append((conflict, "Conflict: one is the other's adversary (dotted, red)"))
    return html_legend("Circle area: case studies. Colour and pattern: kind of actor.", items)
