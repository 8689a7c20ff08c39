"""A sheet read as it is consumed: the header at once, then each data row, so a file of any
length is imported in the memory of a few rows and its progress is known while it is read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import Any

from inventory.spreadsheets.errors import SpreadsheetError
from inventory.spreadsheets.table import (
    TITLE_SEARCH_ROWS,
    ReadLimits,
    Row,
    check_column_count,
    check_row_count,
    clean_headers,
    column_letter,
    header_position,
)

# (row number as the spreadsheet program shows it, cell texts, typed cell values)
GridRow = tuple[int, list[str], list[Any]]
NO_DATA_ROWS = "The file has a header row but no data rows."


class RowStream:
    """The rows of one sheet, read on demand. `headers`, `warnings` and the reader's details
    (source_format, sheet_name, sheet_names, encoding, delimiter) are known once it is open;
    iterating yields each data `Row` once; `fraction_read` says how far through the file it is.
    Reading problems found on the way raise SpreadsheetError from the iteration."""

    def __init__(
        self,
        grid: Iterator[GridRow],
        limits: ReadLimits,
        *,
        fraction_read: Callable[[], float],
        close: Callable[[], None] | None = None,
        **details: Any,
    ) -> None:
        self._fraction_read = fraction_read
        self._close = close
        self.limits = limits
        self.source_format: str = details.pop("source_format", "csv")
        self.encoding: str | None = details.pop("encoding", None)
        self.delimiter: str | None = details.pop("delimiter", None)
        self.sheet_name: str | None = details.pop("sheet_name", None)
        self.sheet_names: list[str] = details.pop("sheet_names", [])
        self.warnings: list[str] = list(details.pop("warnings", []))
        self.rows_read = 0
        self._wider_rows: list[int] = []
        self._finishing: list[Callable[[], None]] = []
        opening = list(islice(grid, TITLE_SEARCH_ROWS))
        if not opening:
            raise SpreadsheetError("The file is empty: there is no header row and no data.")
        self._start(opening)
        self._grid = chain(opening[self._skipped + 1 :], grid)

    def _start(self, opening: list[GridRow]) -> None:
        """Find the header below any title rows; name the columns of the widest opening row."""
        self._skipped = header_position(opening)
        titles, (header_number, header_texts, _) = opening[: self._skipped], opening[self._skipped]
        width = max(len(texts) for _, texts, _ in opening[self._skipped :])
        check_column_count(width, self.limits, header_number)
        self.headers, warnings = clean_headers(header_texts + [""] * (width - len(header_texts)))
        if titles:
            text = " · ".join(t for _, texts, _ in titles for t in texts if t.strip())
            first, last = titles[0][0], titles[-1][0]
            where = f"Row {first} is" if first == last else f"Rows {first}-{last} are"
            warnings.insert(
                0,
                f"{where} taken as a title above the header row (row {header_number}) and not "
                f'imported: "{text[:120]}".',
            )
        self.warnings += warnings
        self.header_row_number = header_number

    def __iter__(self) -> Iterator[Row]:
        headers = self.headers
        width = len(headers)
        for number, texts, raw in self._grid:
            check_row_count(self.rows_read + 1, self.limits)
            if len(texts) > width:
                self._note_wider(number, texts, width)
            self.rows_read += 1
            if len(texts) < width:
                texts = texts + [""] * (width - len(texts))
                raw = raw + [None] * (width - len(raw))
            yield Row(number, dict(zip(headers, texts)), dict(zip(headers, raw)))  # noqa: B905
        if self.rows_read == 0:
            self.warnings.append(NO_DATA_ROWS)
        if self._wider_rows:
            self._warn_wider(width)
        for finish in self._finishing:
            finish()

    def on_finish(self, finish: Callable[[], None]) -> None:
        """Call `finish` once every row has been read (a reader's closing warnings)."""
        self._finishing.append(finish)

    def _note_wider(self, number: int, texts: list[str], width: int) -> None:
        """Remember a row with values right of the last named column (they are not read)."""
        if any(text.strip() for text in texts[width:]):
            self._wider_rows.append(number)

    def _warn_wider(self, width: int) -> None:
        """One warning for the rows whose values go beyond the named columns."""
        rows = self._wider_rows
        shown = ", ".join(str(number) for number in rows[:5])
        if len(rows) > 5:
            shown += f" and {len(rows) - 5:,} more"
        which = f"Rows {shown} have" if len(rows) > 1 else f"Row {shown} has"
        self.warnings.append(
            f"{which} values right of column {column_letter(width)}, the last with a header; "
            "those values were not read. Give their column a header and upload the file again."
        )

    @property
    def fraction_read(self) -> float:
        """How much of the file has been read, from 0 to 1."""
        return min(1.0, max(0.0, self._fraction_read()))

    def estimated_rows(self, read: int) -> int:
        """How many data rows the file holds, judged from how far `read` rows have gone."""
        fraction = self.fraction_read
        if fraction <= 0:
            return read
        return max(read, round(read / fraction))

    def close(self) -> None:
        """Release the file (a workbook keeps its archive open while it is read)."""
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
