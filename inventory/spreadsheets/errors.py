"""The one error the spreadsheet layer raises for files a person can fix."""

from __future__ import annotations


class SpreadsheetError(Exception):
    """A file cannot be read; the message is written for the person who uploaded it."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column

    def __str__(self) -> str:
        return self.message
