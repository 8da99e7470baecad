"""The one way to write a CSV file: every export goes through `CsvWriter`.

People open these files in a spreadsheet, which runs a cell starting with = + - @ (or a tab
or line break before one) as a formula: a display name like `=HYPERLINK(...)` would become a
link or a command on the reader's machine (OWASP "CSV injection"). Such a cell is written
with a leading apostrophe, which spreadsheets show as text. Plain numbers ("-12.50") are
left alone so that amounts stay numbers.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable, Iterator

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value: Any) -> str:
    """The cell as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """csv.writer whose every cell passes through safe_cell; writerow returns what `out.write` returned."""

    def __init__(self, out) -> None:
        self._writer = csv.writer(out)

    def writerow(self, cells: Iterable[Any]):
        return self._writer.writerow([safe_cell(cell) for cell in cells])


class _Echo:
    """A file whose write hands the line back, so that an export streams row by row."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line through CsvWriter, for a streamed download."""
    writer = CsvWriter(_Echo())
    for row in rows:
        yield writer.writerow(row)
