"""What an import did (or would do): counts, per-row errors, unknown columns and warnings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

OUTCOMES = ("created", "updated", "unchanged")


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be imported, naming the row and (when known) the column."""

    row: int
    column: str | None
    message: str
    column_letter: str | None = None

    def describe(self) -> str:
        """The error as one sentence for a person, e.g. 'Row 5, column "Tag" (C): ...'."""
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        letter = f" ({self.column_letter})" if self.column_letter else ""
        return f'Row {self.row}, column "{self.column}"{letter}: {self.message}'


@dataclass
class ImportReport:
    """The outcome of one import run; `written` says whether the changes were kept."""

    kind: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Records made along the way, by kind: {"region": ["North County", ...]}.
    created_related: dict[str, list[str]] = field(default_factory=dict)
    dry_run: bool = False
    valid_only: bool = False
    written: bool = False
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when the file and every row could be imported."""
        return not self.file_errors and self.invalid == 0

    def count(self, outcome: str) -> None:
        """Add one row to the created, updated or unchanged count."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def add_error(self, error: RowError) -> None:
        """Record a row error (a row with several errors still counts once as invalid)."""
        if not self.errors or self.errors[-1].row != error.row:
            self.invalid += 1
        self.errors.append(error)

    def add_related(self, kind: str, name: str) -> None:
        """Note a record the import makes along the way (a region, a manufacturer)."""
        self.created_related.setdefault(kind, []).append(name)

    def related_summary(self, *, limit: int = 10) -> str:
        """What else the import makes, by kind: "3 regions: North, South, East; 1 manufacturer:
        Cisco" (at most `limit` names of each kind)."""
        parts = []
        for kind, names in self.created_related.items():
            noun = kind if len(names) == 1 else f"{kind}s"
            shown = ", ".join(names[:limit])
            if len(names) > limit:
                shown += f" and {len(names) - limit:,} more"
            parts.append(f"{len(names):,} {noun}: {shown}")
        return "; ".join(parts)

    def summary(self) -> str:
        """One line of counts, in the future tense before anything is written."""
        verbs = ("created", "updated", "unchanged", "invalid")
        counts = ", ".join(f"{getattr(self, verb):,} {verb}" for verb in verbs)
        if self.file_errors:
            state = "nothing imported"
        elif self.written:
            state = "imported" if self.ok else "valid rows imported"
        elif self.dry_run:
            state = "dry run, nothing written"
        else:
            state = "nothing written"
        return f"{self.kind}: {self.total_rows:,} rows: {counts} ({state})"

    def lines(self, *, max_errors: int = 200) -> list[str]:
        """The whole report as lines of text, for the command line and job results."""
        lines = [self.summary(), *(f"Error: {message}" for message in self.file_errors)]
        lines += [f"Error: {error.describe()}" for error in self.errors[:max_errors]]
        if len(self.errors) > max_errors:
            lines.append(f"... and {len(self.errors) - max_errors:,} more row errors.")
        if self.unknown_columns:
            names = ", ".join(f'"{name}"' for name in self.unknown_columns)
            lines.append(f"Columns not imported: {names}")
        if self.created_related:
            verb = "Created" if self.written else "Will create"
            lines.append(f"{verb} {self.related_summary(limit=1000)}")
        lines += [f"Warning: {warning}" for warning in self.warnings]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form, for job results."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        """Rebuild a report saved with to_dict."""
        values = dict(data)
        values["errors"] = [RowError(**error) for error in values.get("errors", [])]
        related = values.get("created_related") or {}
        if isinstance(related, list):  # saved before related records were grouped by kind
            grouped: dict[str, list[str]] = {}
            for label in related:
                kind, _, name = label.partition(" ")
                grouped.setdefault(kind, []).append(name)
            related = grouped
        values["created_related"] = related
        return cls(**values)
