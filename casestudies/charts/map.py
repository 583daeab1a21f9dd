"""The world map: each country shaded by its case studies, in a few classes of a sequential blue
scale (lighter for fewer, darker for more: readable without telling hues apart); a country with
none light grey, and a country that is not in the atlas hatched. A shaded country links to its
case studies; its name and count are in the link's name and in a tooltip."""

import math

from casestudies.charts.svg import anchor, html_legend, svg, swatch, tag, tooltip
from casestudies.charts.world import world

# Five of the nine steps of ColorBrewer's sequential "Blues", far enough apart to tell apart.
SHADES = ["#c6dbef", "#6baed6", "#2171b5", "#08519c", "#08306b"]
NONE = "#d9d9d9"  # an atlas country without case studies in the selection
ABSENT = "#ffffff"  # a country that is not in the atlas, hatched
HATCH = "#8a8a8a"
BORDER = "#ffffff"
ABSENT_BORDER = "#c4c4c4"


def case_studies(count):
    if not count:
        return "no case studies"
    return f"{count} case stud{'y' if count == 1 else 'ies'}"


def shading_classes(maximum):
    """Classes of counts from 1 to `maximum`, as (lowest, highest) pairs: each count its own
    class while there are few, otherwise bounds rising by about the same factor (1, 2-3, 4-8,
    9-19, 20-40 for 40), rounded to one significant figure."""
    steps = len(SHADES)
    if maximum <= steps:
        return [(count, count) for count in range(1, maximum + 1)]
    lows = []
    for step in range(steps):
        low = maximum ** (step / steps)
        digits = 10 ** math.floor(math.log10(low))
        low = round(low / digits) * digits
        if not lows or low > lows[-1]:
            lows.append(low)
    highs = [low - 1 for low in lows[1:]] + [maximum]
    return list(zip(lows, highs, strict=True))


def class_label(low, high):
    return str(low) if low == high else f"{low}\N{EN DASH}{high}"


def shade(count, classes):
    """The colour of a count among the classes, spread over the scale, the top class darkest;
    grey for none."""
    for index, (low, high) in enumerate(classes):
        if low <= count <= high:
            if len(classes) == 1:
                return SHADES[len(SHADES) // 2]
            return SHADES[round(index * (len(SHADES) - 1) / (len(classes) - 1))]
    return NONE


def _hatch(chart_id):
    """Diagonal lines on white, 10 units apart: "not in the atlas"."""
    return tag(
        "pattern",
        tag("rect", width=10, height=10, fill=ABSENT)
        + tag("path", d="M-1,1 l2,-2 M0,10 l10,-10 M9,11 l2,-2", stroke=HATCH, stroke_width=1.5),
        id=f"{chart_id}-absent",
        patternUnits="userSpaceOnUse",
        width=10,
        height=10,
    )


def world_map(chart_id, title, desc, counts, link):
    """Every country of the world map: shaded and linking to `link(row)` (when that is not empty)
    for the rows of `counts` that have case studies, grey for the others, hatched for countries
    the atlas does not have."""
    shapes = world()
    classes = shading_classes(counts.maximum)
    rows = {row.code.lower(): row for row in counts.rows}
    parts = []
    for code, shape in shapes.shapes.items():
        row = rows.get(code)
        if row is None:
            parts.append(
                tag(
                    "path",
                    d=shape,
                    fill=f"url(#{chart_id}-absent)",
                    stroke=ABSENT_BORDER,
                    aria_hidden="true",
                )
            )
            continue
        label = f"{row.name}: {case_studies(row.total)}"
        drawing = tag(
            "path",
            tooltip(label),
            class_="mark" if row.total else None,
            d=shape,
            fill=shade(row.total, classes),
        )
        url = link(row) if row.total else ""
        parts.append(anchor(url, label, drawing) if url else drawing)
    body = tag("defs", _hatch(chart_id)) + tag(
        "g", "".join(parts), stroke=BORDER, stroke_width=0.5, stroke_linejoin="round"
    )
    return svg(chart_id, shapes.width, shapes.height, title, desc, body, role="graphics-document")


def map_legend(chart_id, counts):
    """The map's legend, in HTML below the drawing so that it stays legible on a phone. Its
    hatched swatch uses the drawing's pattern."""
    classes = shading_classes(counts.maximum)
    items = [(swatch(shade(low, classes)), class_label(low, high)) for low, high in classes]
    items += [
        (swatch(NONE), "No case studies in this selection"),
        (swatch(f"url(#{chart_id}-absent)"), "Not in the atlas"),
    ]
    return html_legend("Case studies per country (of operation, or taking part):", items)
