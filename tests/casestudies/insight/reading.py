"""What the insight pages show, read as a reader (or a spreadsheet) reads it: a chart's SVG and
its marks, a table's cells, a CSV's rows."""

import csv
import io
import re
from xml.etree import ElementTree

import html5lib

SVG = "{http://www.w3.org/2000/svg}"


def chart(html, chart_id):
    """The chart's SVG, parsed as XML (so it must be well-formed)."""
    match = re.search(rf'<svg[^>]*\sid="{chart_id}".*?</svg>', html, re.DOTALL)
    assert match, f"no chart {chart_id}"
    return ElementTree.fromstring(match.group(0))


def marks(svg):
    return [element for element in svg.iter() if "mark" in element.get("class", "").split()]


def assert_accessible_chart(svg, title):
    """A chart a screen reader can name: an image with a viewBox, whose first child titles it."""
    assert svg.get("role") in {"img", "graphics-document"}
    assert svg.get("viewBox") and svg.get("width") == "100%"
    first = svg[0]
    assert first.tag == f"{SVG}title" and first.text == title
    assert svg.get("aria-labelledby") == first.get("id")


def table_rows(html, table_id):
    """A table's cells as text, headings included, as a reader sees them."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    table = document.find(f".//table[@id='{table_id}']")
    assert table is not None, table_id
    return [
        [" ".join("".join(cell.itertext()).split()) for cell in row if cell.tag in {"th", "td"}]
        for row in table.iter("tr")
    ]


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode())))
