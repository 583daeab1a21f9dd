"""SVG drawn on the server: the elements, text that fits, colours and patterns that stay readable
without colour, legends."""

import math

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
CONFLICT_EDGE = "#b2182b"  # conflict, not cooperation: red, and dotted for who cannot tell


PATTERNS = ["solid", "diagonal", "dots", "horizontal", "crosshatch", "vertical"]


PATTERN_PATHS = {
    "diagonal": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2",
    "horizontal": "M0,3 h6",
    "crosshatch": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2 M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2",
    "vertical": "M3,0 v6",
}


FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


CHAR_WIDTH = 0.62  # an average character's width, in ems (DejaVu Sans is wide), to fit labels


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


def html_legend(title, items):
    """A legend beside a chart, as HTML: `title`, then each (drawing, label) of `items` as a
    16-pixel swatch and its label. The title is the caller's own text (it may hold markup)."""
    entries = "".join(
        "<li>"
        + tag("svg", drawing, width=16, height=16, viewBox="-1 -1 16 16", aria_hidden="true")
        + f" {escape(label)}</li>"
        for drawing, label in items
    )
    return mark_safe(  # noqa: S308 - labels escaped, drawings built from escaped attributes
        f'<p class="chart-legend-title">{title}</p><ul class="chart-legend">{entries}</ul>'
    )
