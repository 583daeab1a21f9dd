"""Charts drawn on the server as inline SVG: they print, work without JavaScript and scale to a
phone (a viewBox, drawn at the width of their column). Every label is escaped. Colours come from
the Okabe-Ito palette, which readers with the common colour-vision deficiencies can tell apart,
and wherever a colour means something a pattern and a legend say it too.

Each chart starts with a <title> (named by aria-labelledby) and a <desc>. Charts without links
are one image (role="img"); the timeline and the network, whose bars and nodes link to their
pages, are graphics documents (role="graphics-document"), since an image may not contain links.
Those links stay out of the tab order: the table beside each chart has the same links for
keyboard users, without hundreds of tab stops.

Every drawn item is one element of class "mark": a bar, a bar segment, a matrix cell, a node."""

import math

import networkx as nx
from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
DARK_COLOURS = {"#009E73", "#0072B2", "#D55E00", "#000000"}
INK = "#1b1f24"
MUTED = "#4a5560"  # 7.4:1 on white
LINK = "#0b4f8a"
GRID = "#d5dbe1"
BAR = "#0072B2"
EDGE = "#6b7680"
PATTERNS = ["solid", "diagonal", "dots", "horizontal", "crosshatch", "vertical"]
PATTERN_PATHS = {
    "diagonal": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2",
    "horizontal": "M0,3 h6",
    "crosshatch": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2 M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2",
    "vertical": "M3,0 v6",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CHAR_WIDTH = 0.62  # an average character's width, in ems (DejaVu Sans is wide), to fit labels
LAYOUT_SEED = 8  # the network's layout is the same for the same data
NETWORK_LABELS = 24  # the network names its largest nodes; the others in their tooltips
NETWORK_LINKS = 600  # and draws its strongest links (the layout uses them all)


# Building blocks


def number(value):
    """A coordinate or size, short: 12, 12.5, 0 (never -0)."""
    rounded = round(value, 1)
    return f"{rounded:.1f}".removesuffix(".0") if rounded else "0"


def fit(label, width, size=12):
    """The label shortened with an ellipsis to fit about `width` units at font size `size`."""
    room = max(4, int(width / (size * CHAR_WIDTH)))
    label = str(label)
    return label if len(label) <= room else label[: room - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def attrs(**values):
    """SVG attributes, escaped. A trailing underscore is dropped and other underscores become
    hyphens (class_ -> class, font_size -> font-size); None leaves an attribute out."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = number(value)
        parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def tag(name, children="", /, **values):
    """An element around `children`, which must already be safe SVG; empty ones self-close."""
    if not children:
        return f"<{name}{attrs(**values)}/>"
    return f"<{name}{attrs(**values)}>{children}</{name}>"


def text(content, x, y, **values):
    values.setdefault("fill", INK)
    return tag("text", escape(content), x=float(x), y=float(y), **values)


def tooltip(content):
    return f"<title>{escape(content)}</title>"


def anchor(url, label, children):
    """A link inside a chart: named for screen readers, out of the tab order (see above)."""
    return tag("a", children, href=url, aria_label=label, tabindex="-1")


def svg(chart_id, width, height, title, desc, body, *, role="img", wide=False):
    """The whole chart, its title and description first, drawn at the width of its column."""
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg"'
        f"{attrs(id=chart_id, class_='chart chart-wide' if wide else 'chart', role=role)}"
        f"{attrs(viewBox=f'0 0 {number(width)} {number(height)}', width='100%')}"
        f"{attrs(aria_labelledby=f'{chart_id}-title', aria_describedby=f'{chart_id}-desc')}"
        f"{attrs(font_family=FONT, font_size=12)}>"
    )
    return mark_safe(  # noqa: S308 - every label and attribute value is escaped
        opening
        + tag("title", escape(title), id=f"{chart_id}-title")
        + tag("desc", escape(desc), id=f"{chart_id}-desc")
        + body
        + "</svg>"
    )


def ticks(maximum, count=5):
    """Round steps from 0 to at least `maximum`, about `count` of them."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
    top = step * math.ceil(maximum / step)
    return list(range(0, int(top) + 1, int(step)))


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def text_colour_on(colour):
    """Black or white, whichever contrasts more with `colour` (never less than 4.5:1)."""
    light = luminance(colour)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


class Fills:
    """A colour and a pattern for each group, fixed by the group's place in the full list of
    groups, so a group looks the same from one selection to the next."""

    def __init__(self, chart_id, keys):
        self.chart_id = chart_id
        self.index = {key: position for position, key in enumerate(keys)}

    def colour(self, key):
        return PALETTE[self.index[key] % len(PALETTE)]

    def pattern(self, key):
        return PATTERNS[self.index[key] % len(PATTERNS)]

    def fill(self, key):
        if self.pattern(key) == "solid":
            return self.colour(key)
        return f"url(#{self.chart_id}-fill-{self.index[key]})"

    def defs(self, keys):
        patterns = []
        for key in keys:
            kind = self.pattern(key)
            if kind == "solid":
                continue
            colour = self.colour(key)
            line = "#ffffff" if colour in DARK_COLOURS else INK
            if kind == "dots":
                mark = tag("circle", cx=3, cy=3, r=1.4, fill=line)
            else:
                mark = tag("path", d=PATTERN_PATHS[kind], stroke=line, stroke_width=1.2)
            patterns.append(
                tag(
                    "pattern",
                    tag("rect", width=6, height=6, fill=colour) + mark,
                    id=f"{self.chart_id}-fill-{self.index[key]}",
                    patternUnits="userSpaceOnUse",
                    width=6,
                    height=6,
                )
            )
        return tag("defs", "".join(patterns))


def legend(items, x, y, width):
    """Legend entries (a drawing 14 units wide, and a label) wrapped into lines across
    `width`; returns the SVG and the height it takes."""
    parts, cursor, line = [], x, 0
    for drawing, label in items:
        item_width = 20 + len(label) * 12 * CHAR_WIDTH + 18
        if cursor > x and cursor + item_width > x + width:
            cursor, line = x, line + 1
        top = y + line * 22
        parts.append(
            tag("g", drawing, transform=f"translate({number(cursor)},{number(top)})")
            + text(label, cursor + 20, top + 11)
        )
        cursor += item_width
    return "".join(parts), (line + 1) * 22 if items else 0


def swatch(fill):
    return tag("rect", class_="swatch", width=14, height=14, fill=fill, stroke=INK, stroke_width=1)


def fill_legend(fills, groups, x, y, width):
    return legend([(swatch(fills.fill(key)), label) for key, label in groups], x, y, width)


# Bar charts


def _bar_rows(rows, width, top, row_height, *, draw_bar, value_of):
    """Rows of a horizontal bar chart, each label above its bar, with a value axis below."""
    left, right = 8, 48
    plot = width - left - right
    scale = ticks(max((value_of(row) for row in rows), default=0))
    per_unit = plot / scale[-1]
    bottom = top + len(rows) * row_height
    parts = []
    for tick in scale:
        x = left + tick * per_unit
        parts.append(tag("line", x1=x, x2=x, y1=float(top), y2=float(bottom), stroke=GRID))
        parts.append(text(tick, x, bottom + 16, text_anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y = top + index * row_height
        parts.append(text(fit(row[0], width - left), left, y + 13))
        parts.append(draw_bar(row, left, y + 18, per_unit))
        value = value_of(row)
        parts.append(text(value, left + value * per_unit + 5, y + 30))
    parts.append(tag("line", x1=left, x2=left + plot, y1=bottom, y2=bottom, stroke=MUTED))
    return "".join(parts), bottom, left + plot / 2


def bar_chart(chart_id, title, desc, rows, *, category_label, value_label="Case studies"):
    """One horizontal bar per (label, value) row."""
    width, top = 360, 30

    def draw_bar(row, x, y, per_unit):
        label, value = row
        return tag(
            "rect",
            tooltip(f"{label}: {value}"),
            class_="mark",
            x=float(x),
            y=float(y),
            width=float(value * per_unit),
            height=14,
            fill=BAR,
        )

    body, bottom, middle = _bar_rows(
        rows, width, top, 40, draw_bar=draw_bar, value_of=lambda row: row[1]
    )
    body = (
        text(category_label, 8, 16, font_weight="bold")
        + body
        + text(value_label, middle, bottom + 38, text_anchor="middle", font_weight="bold")
    )
    return svg(chart_id, width, bottom + 50, title, desc, body)


def stacked_bar_chart(
    chart_id, title, desc, rows, groups, *, category_label, value_label="Case studies"
):
    """One horizontal bar per (label, [(group key, value), ...]) row, split by group; one mark
    per part that is not empty. `groups` lists every (key, label) in order."""
    width = 360
    fills = Fills(chart_id, [key for key, _ in groups])
    key_legend, legend_height = fill_legend(fills, groups, 8, 28, width - 16)
    top = 34 + legend_height
    labels = dict(groups)

    def draw_bar(row, x, y, per_unit):
        label, parts = row
        drawn = []
        for key, value in parts:
            if value:
                drawn.append(
                    tag(
                        "rect",
                        tooltip(f"{label}, {labels[key]}: {value}"),
                        class_="mark",
                        x=float(x),
                        y=float(y),
                        width=float(value * per_unit),
                        height=14,
                        fill=fills.fill(key),
                        stroke=INK,
                        stroke_width=0.5,
                    )
                )
                x += value * per_unit
        return "".join(drawn)

    body, bottom, middle = _bar_rows(
        rows,
        width,
        top,
        40,
        draw_bar=draw_bar,
        value_of=lambda row: sum(value for _, value in row[1]),
    )
    body = (
        fills.defs([key for key, _ in groups])
        + text(category_label, 8, 16, font_weight="bold")
        + key_legend
        + body
        + text(value_label, middle, bottom + 38, text_anchor="middle", font_weight="bold")
    )
    return svg(chart_id, width, bottom + 50, title, desc, body)


# Heat map


def heat_colour(share):
    """From almost white (few) to dark blue (most), for a share between 0 and 1."""
    low, high = (240, 246, 251), (8, 48, 107)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True)
    )


def heat_map(chart_id, title, desc, row_labels, column_labels, values, *, row_axis, column_axis):
    """A matrix of counts: one cell (a mark) per row and column, its count written in it."""
    cell, label_width, header = 36, 230, 150
    left = label_width + 8
    width = left + max(1, len(column_labels)) * cell + 120  # room for the last rotated name
    top = header + 8
    bottom = top + len(row_labels) * cell
    maximum = max((value for row in values for value in row), default=0) or 1
    parts = [
        text(column_axis, left, 16, font_weight="bold"),
        text(row_axis, 8, top - 8, font_weight="bold"),
    ]
    for column, label in enumerate(column_labels):
        x = left + column * cell + cell / 2 + 4
        parts.append(
            tag(
                "text",
                tooltip(label) + escape(fit(label, (header - 24) * 1.3)),
                x=float(x),
                y=float(header),
                transform=f"rotate(-50 {number(x)} {header})",
                fill=INK,
            )
        )
    for row, label in enumerate(row_labels):
        y = top + row * cell
        parts.append(
            tag(
                "text",
                tooltip(label) + escape(fit(label, label_width)),
                x=float(left - 8),
                y=float(y + cell / 2 + 4),
                text_anchor="end",
                fill=INK,
            )
        )
        for column, value in enumerate(values[row]):
            x = left + column * cell
            colour = heat_colour(value / maximum) if value else "#ffffff"
            parts.append(
                tag(
                    "rect",
                    tooltip(f"{label} with {column_labels[column]}: {value}"),
                    class_="mark",
                    x=float(x),
                    y=float(y),
                    width=cell,
                    height=cell,
                    fill=colour,
                    stroke=GRID,
                )
                + text(
                    value,
                    x + cell / 2,
                    y + cell / 2 + 4,
                    text_anchor="middle",
                    fill=text_colour_on(colour) if value else MUTED,
                    font_weight="bold" if value else None,
                )
            )
    steps = [0, 0.25, 0.5, 0.75, 1]
    parts.append(text("Fewer", 8, bottom + 30))
    for index, share in enumerate(steps):
        parts.append(
            tag(
                "rect",
                class_="swatch",
                x=float(56 + index * 18),
                y=float(bottom + 19),
                width=16,
                height=14,
                fill=heat_colour(share),
                stroke=GRID,
            )
        )
    parts.append(text("more case studies", 56 + len(steps) * 18 + 6, bottom + 30))
    return svg(chart_id, width, bottom + 44, title, desc, "".join(parts), wide=True)


# Timeline


def _year_step(years):
    return next(step for step in (1, 2, 5, 10, 20, 50) if years / step <= 10)


def timeline_chart(chart_id, title, desc, timeline, colour_by, group_label):
    """One bar per case study from its start to its end (to today while it is ongoing), its
    title above it, the eras shaded behind; each bar and title link to the case study. Narrow
    (labels above the bars, not beside them) so that it stays legible on a phone."""
    width, left, right, top, row_height, bar_height = 420, 16, 404, 40, 28, 9
    groups = timeline.groups(colour_by)
    fills = Fills(chart_id, [key for key, _, _ in groups])
    first = min((bar.start for bar in timeline.bars), default=timeline.today)
    step = _year_step(timeline.today.year + 1 - first.year)
    start_year = first.year - first.year % step
    end_year = timeline.today.year + 1
    start, end = first.replace(start_year, 1, 1), timeline.today.replace(end_year, 1, 1)
    span = (end - start).days

    def x(date):
        return left + (date - start).days / span * (right - left)

    bottom = top + len(timeline.bars) * row_height + 2
    parts = []
    for index, era in enumerate(timeline.eras):
        era_start = max(era.start_date, start)
        era_end = min(era.end_date or end, end)
        if era_end <= era_start:
            continue
        band = x(era_end) - x(era_start)
        parts.append(
            tag(
                "rect",
                tooltip(f"{era.name}: {era.year_range}"),
                class_="era",
                x=float(x(era_start)),
                y=2.0,
                width=float(band),
                height=float(bottom - 2),
                fill="#e9edf1" if index % 2 else "#f6f7f9",
            )
        )
        if band >= 40:
            parts.append(
                text(
                    fit(era.name, band - 4, 10),
                    x(era_start) + band / 2,
                    14,
                    text_anchor="middle",
                    font_size=10,
                    font_weight="bold",
                )
            )
    for year in range(start_year, end_year + 1, step):
        tick = x(start.replace(year))
        parts.append(tag("line", x1=tick, x2=tick, y1=20.0, y2=float(bottom), stroke=GRID))
        for y in (31, bottom + 14):
            parts.append(text(year, tick, y, text_anchor="middle", fill=MUTED, font_size=11))
    for index, bar in enumerate(timeline.bars):
        y = top + index * row_height
        start_x = x(bar.start)
        end_x = max(x(bar.end or timeline.today), start_x + 2)
        key, label = bar.group(colour_by)
        years = f"{bar.start.year}\N{EN DASH}{bar.end.year if bar.end else 'ongoing'}"
        title_text = fit(bar.title, right - left, 11)
        title_x = max(left, min(start_x, right - len(title_text) * 11 * CHAR_WIDTH))
        drawing = text(
            title_text,
            title_x,
            y + 11,
            fill=LINK,
            font_size=11,
            stroke="#ffffff",
            stroke_width=2.5,
            paint_order="stroke",
            stroke_linejoin="round",
        ) + tag(
            "rect",
            tooltip(f"{bar.title} ({years}). {group_label}: {label}"),
            class_="mark",
            x=float(start_x),
            y=float(y + 15),
            width=float(end_x - start_x),
            height=bar_height,
            fill=fills.fill(key),
            stroke=INK,
            stroke_width=0.6,
        )
        if bar.ongoing:
            drawing += tag(
                "path",
                class_="ongoing",
                d=f"M{number(end_x + 1)},{y + 14} l5.5,5.5 l-5.5,5.5 z",
                fill=INK,
            )
        parts.append(
            anchor(bar.url, f"{bar.title}, {years}, {group_label.lower()}: {label}", drawing)
        )
    parts.append(tag("line", x1=left, x2=right, y1=bottom, y2=bottom, stroke=MUTED))
    parts.append(
        text("Year", (left + right) / 2, bottom + 32, text_anchor="middle", font_weight="bold")
    )
    items = [(swatch(fills.fill(key)), label) for key, label, used in groups if used]
    items.append((tag("path", d="M3,0 l7,7 l-7,7 z", fill=INK), "Ongoing: runs to today"))
    items.append(
        (tag("rect", width=14, height=14, fill="#e9edf1", stroke=GRID), "Shaded bands: eras")
    )
    key_legend, legend_height = legend(items, left, bottom + 62, right - left)
    parts.append(text(f"Colour and pattern: {group_label}", left, bottom + 54, font_weight="bold"))
    body = fills.defs([key for key, _, used in groups if used]) + "".join(parts) + key_legend
    height = bottom + 62 + legend_height + 2
    return svg(chart_id, width, height, title, desc, body, role="graphics-document")


# Network


CENTRE = ("centre",)  # a hidden node no slug can equal


def network_layout(network, *, seed=LAYOUT_SEED):
    """Positions between -1 and 1 for each node, by slug: a force-directed layout (networkx's
    spring_layout) where actors sharing more case studies pull closer. Seeded: the same data
    gives the same drawing."""
    graph = nx.Graph()
    graph.add_nodes_from(node.slug for node in network.nodes)
    for edge in network.links:
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
    linking to its page; lines between actors that share case studies (thicker for more) or
    where one is a member of the other (dashed)."""
    width, height, margin = 800, 560, 24
    positions = network_layout(network)
    fills = Fills(chart_id, [key for key, _ in kinds])
    most = max((node.case_studies for node in network.nodes), default=1)
    strongest = max((edge.case_studies for edge in network.links), default=1) or 1

    def radius(node):
        return 3.5 + 12.5 * math.sqrt(node.case_studies / most)

    def place(slug):
        x, y = positions[slug]
        return (
            width / 2 + x * (width / 2 - margin - 16),
            height / 2 + y * (height / 2 - margin - 16),
        )

    parts = []
    for edge in network.links[:NETWORK_LINKS]:
        (ax, ay), (bx, by) = place(edge.source), place(edge.target)
        shared = edge.case_studies
        parts.append(
            tag(
                "line",
                class_="link",
                x1=float(ax),
                y1=float(ay),
                x2=float(bx),
                y2=float(by),
                stroke=EDGE,
                stroke_opacity="0.5",
                stroke_width=float(0.6 + 3.4 * shared / strongest) if shared else 1.0,
                stroke_dasharray=None if shared else "4 3",
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
    entries = "".join(
        "<li>"
        + tag("svg", drawing, width=16, height=16, viewBox="-1 -1 16 16", aria_hidden="true")
        + f" {escape(label)}</li>"
        for drawing, label in items
    )
    return mark_safe(  # noqa: S308 - labels escaped, drawings built from escaped attributes
        '<p class="chart-legend-title">Circle area: case studies. Colour and pattern: kind of '
        f'actor.</p><ul class="chart-legend">{entries}</ul>'
    )
