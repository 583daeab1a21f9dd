from casestudies.charts.svg import (
    CHAR_WIDTH,
    GRID,
    INK,
    LINK,
    MUTED,
    Fills,
    anchor,
    fit,
    legend,
    number,
    svg,
    swatch,
    tag,
    text,
    tooltip,
)

"""The timeline chart."""


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
