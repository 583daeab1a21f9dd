"""The one CSV writer of every export: the API's lists, the site's case-study export and insight
tables, and the staff's model exports. Rows are written as they come, so a large export streams.
Public exports make every cell safe from spreadsheets that would run it as a formula (CSV
injection); the staff's exports, which import_atlas reads back, write their cells as they are."""

import csv
import itertools

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula (CSV injection); lists joined by ";"."""
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object that hands back what is written, for csv.writer to stream through."""

    def write(self, value):
        return value


def csv_lines(rows, cell=spreadsheet_safe):
    """Each row (a sequence of values) as a line of CSV, each value written by `cell`."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(cell(value) for value in row)


def stream_csv(columns, rows):
    """A header of `columns`, then a line per row (a mapping of column to value)."""
    return csv_lines(itertools.chain([columns], ([row.get(c) for c in columns] for row in rows)))
