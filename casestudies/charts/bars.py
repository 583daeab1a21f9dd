"""Bar charts (plain and stacked) and the heat map."""

from django.utils.html import escape

from casestudies.charts.svg import (
    BAR,
    GRID,
    INK,
    MUTED,
    Fills,
    fill_legend,
    fit,
    number,
    svg,
    tag,
    text,
    text_colour_on,
    ticks,
    tooltip,
)


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
