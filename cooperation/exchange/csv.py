"""The one CSV writer of every export, staff and public: streamed, with every cell a spreadsheet
could run as a formula neutralised (CSV injection)."""

import csv

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


def stream_csv(columns, rows):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(spreadsheet_safe(row.get(column)) for column in columns)
