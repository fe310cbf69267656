"""CSV that a spreadsheet opens as data, never as formulas.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, or any of
these after leading spaces, which spreadsheets skip) is evaluated as a formula by Excel,
LibreOffice and Google Sheets: a mention written by anyone on the internet ("=HYPERLINK(…)",
"=cmd|' /C calc'!A0") would run in the analyst's spreadsheet. As OWASP recommends, such a cell
is written with a single quote in front, which spreadsheets show as text and do not evaluate.
Every CSV Dengar writes goes through :func:`csv_writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a cell that cannot start a formula (non-strings are returned as they are)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip(" \t\r\n").startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`spreadsheet_safe`."""

    def __init__(self, stream: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: TextIO, **kwargs: Any) -> SafeWriter:
    return SafeWriter(stream, **kwargs)
