"""The one CSV writer of every export: the API's lists, the site's case-study export, the insight
tables and the staff's model exports. Rows are written as they come, so a large export streams.

Every cell is guarded against spreadsheets that would run it as a formula (CSV injection, after
OWASP's guidance): a text cell that a spreadsheet could read as a formula gets a leading `'`, and
every text cell is quoted, so a separator inside a cell cannot start a new one. The importer
removes the guard (`unguarded`), so a staff export reads back as it was written."""

import csv
import itertools
import re
import string
import unicodedata

GUARD = "'"

# Most cells start with one of these, where no formula can start: they need no closer look.
SAFE_FIRST_CHARACTERS = frozenset(string.ascii_letters + string.digits)

# Lines sent to the client at once: a write per line was a tenth of a large export's time.
LINES_PER_WRITE = 100

# A formula trigger (= + - @ tab CR) at the start of the cell or after spaces or separators
# (";=1+1" split on ";"), looked for in the NFKC form so that full-width signs (U+FF1D) count too.
FORMULA_START = re.compile(r"(?:[^\S\t\r]|[;,])*[=+\-@\t\r]")


def guarded(value):
    """`value` as a cell a spreadsheet shows as text. A cell that already starts with the guard
    gets one more, so that removing one on import always gives the value back."""
    if not isinstance(value, str) or not value or value[0] in SAFE_FIRST_CHARACTERS:
        return value
    if value.startswith(GUARD) or FORMULA_START.match(unicodedata.normalize("NFKC", value)):
        return GUARD + value
    return value


def unguarded(text):
    """A cell as it was before `guarded`."""
    return text.removeprefix(GUARD)


def plain_cell(value):
    """A value as a cell of a public export, guarded: lists joined by ";", nothing as empty.
    (Plain text never reaches it from csv_lines, which writes such cells as they are.)"""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ";".join(map(str, value))
    return guarded(value)


class Echo:
    """A file-like object that hands back what is written, for csv.writer to stream through."""

    def write(self, value):
        return value


def csv_lines(rows, cell=None):
    """Each row (a sequence of values) as a line of CSV, each value made a cell by `cell` and
    then guarded (by default, `plain_cell`). Text that starts with a letter or a digit is a cell
    already, and most cells of a large export are: written as they are, without a call per cell
    (an eighth of the CSV's time)."""
    writer = csv.writer(Echo(), quoting=csv.QUOTE_NONNUMERIC)
    made = plain_cell if cell is None else lambda value: guarded(cell(value))
    for row in rows:
        yield writer.writerow(
            [
                value
                if value.__class__ is str and value and value[0] in SAFE_FIRST_CHARACTERS
                else made(value)
                for value in row
            ]
        )


def stream_csv(columns, rows):
    """A header of `columns`, then a line per row (its values in the columns' order), a few
    lines at a time."""
    lines = csv_lines(itertools.chain([columns], rows))
    return ("".join(batch) for batch in itertools.batched(lines, LINES_PER_WRITE))
