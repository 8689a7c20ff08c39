"""What every kind of import does with a row: resolve references, match, create or update."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from inventory.errors import DomainError
from inventory.imports.report import ImportReport
from inventory.models import User


def same(record: Any, values: dict[str, Any]) -> bool:
    """True when the record already holds every value."""
    return all(getattr(record, name) == value for name, value in values.items())


class KindImporter:
    """Imports rows of one kind, a chunk of rows at a time: `start` loads the lookups the whole
    file needs, `preload` what one chunk needs, so rows need few queries."""

    kind: str = ""
    # Fields that keep their stored value when a row leaves them blank (a blank means "default").
    keep_when_blank: frozenset[str] = frozenset()
    # Fields whose errors belong to another field's column (derived or resolved through it).
    sources: dict[str, str] = {}

    def __init__(self, session: Session, *, by: User | None, report: ImportReport) -> None:
        self.session = session
        self.by = by
        self.report = report
        self.pending: list[tuple[dict[Any, Any], list[Any], str, str]] = []  # made by this row
        self.row_number = 0  # the file's row being imported, for errors found later
        # Rows counted as created whose batch the database then refused: (row, reason).
        self.refusals: list[tuple[int, DomainError]] = []

    def start(self) -> None:
        """Load what every row may need (systems, regions, manufacturers)."""

    def preload(self, rows: list[dict[str, Any]]) -> None:
        """Load what matching the next chunk's rows needs (their parsed values are given)."""

    def end_chunk(self) -> None:
        """Write what the chunk's rows left waiting (new records are inserted in batches)."""

    def key(self, values: dict[str, Any]) -> str | None:
        """The row's identity in the file, to warn about rows that repeat a record."""
        return None

    def prepare(self, values: dict[str, Any]) -> dict[str, Any]:
        """Resolve references and derived fields into the operation's keyword data."""
        return values

    def find(self, values: dict[str, Any]) -> Any | None:
        """The existing record the row matches, or None."""
        raise NotImplementedError

    def create(self, values: dict[str, Any]) -> Any:
        """Create a record through the domain operation."""
        raise NotImplementedError

    def update(self, record: Any, values: dict[str, Any]) -> bool:
        """Update a record through the domain operation; True if it changed."""
        raise NotImplementedError

    def remember(self, record: Any) -> None:
        """Add a new record to the lookups, so a later row matches it."""

    def finish(self) -> None:
        """Write what is still waiting, and add the warnings that sum up the whole file."""

    def fast(self, values: dict[str, Any]) -> str | None:
        """Handle a row without a SAVEPOINT when that is safe (validate, then queue, or see that
        nothing changes); None sends the row through the operation in a SAVEPOINT."""
        return None

    def kept(self, values: dict[str, Any]) -> dict[str, Any]:
        """Drop blanks that mean "the default" on create and "keep it" on update."""
        return {k: v for k, v in values.items() if v is not None or k not in self.keep_when_blank}

    def import_row(self, values: dict[str, Any]) -> str:
        """Create or update the row's record; returns created, updated or unchanged."""
        self.pending = []
        prepared = self.kept(self.prepare(dict(values)))
        record = self.find(prepared)
        if record is None:
            self.remember(self.create(prepared))
            outcome = "created"
        else:
            outcome = "updated" if self.update(record, prepared) else "unchanged"
        self.row_done()
        return outcome

    def row_done(self) -> None:
        """The row succeeded: report what it made along the way."""
        for _, _, kind, name in self.pending:
            self.report.add_related(kind, name)
        self.pending = []

    def make_related(
        self, cache: dict[Any, Any], keys: list[Any], obj: Any, kind: str, name: str
    ) -> None:
        """Cache an object made for this row (a region, a manufacturer) until the row ends."""
        for key in keys:
            cache[key] = obj
        self.pending.append((cache, keys, kind, name))

    def forget_row(self) -> None:
        """The row was rolled back: drop what it made from the lookups."""
        for cache, keys, _, _ in self.pending:
            for key in keys:
                cache.pop(key, None)
        self.pending = []
