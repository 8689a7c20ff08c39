"""Asset models import: matched by manufacturer + part number; manufacturers found or created.

A row without a part number uses its model name as the part number (the device catalogue has
such rows), and says so in the report; a row with neither is refused.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from inventory.errors import DomainError, InvalidValue, NotFound
from inventory.imports.base import KindImporter
from inventory.models import AssetModel, Manufacturer, System
from inventory.operations.catalog import create_manufacturer, create_model, update_model

MONTHS_PER_YEAR = 12


def years_from_months(months: int) -> int:
    """Useful life in whole years from months (rounded half up, at least one year)."""
    if months <= 0:
        raise InvalidValue("Useful life (months) must be more than 0.", field="useful_life_years")
    years = Decimal(months) / MONTHS_PER_YEAR
    return max(1, int(years.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


class ModelImporter(KindImporter):
    """Creates or updates asset models by manufacturer and part number."""

    kind = "models"
    keep_when_blank = frozenset({"system", "useful_life_years", "name"})
    sources = {"useful_life_years": "useful_life_months"}

    def start(self) -> None:
        """Every manufacturer, model and system (catalogues have thousands, not millions)."""
        self.manufacturers = {
            maker.name.lower(): maker for maker in self.session.scalars(select(Manufacturer))
        }
        query = select(AssetModel).options(selectinload(AssetModel.manufacturer))
        self.models = {
            (model.manufacturer.name.lower(), model.part_number.lower()): model
            for model in self.session.scalars(query)
        }
        self.systems = {
            system.code.lower(): system for system in self.session.scalars(select(System))
        }
        self.named_after_model = 0

    def key(self, values: dict[str, Any]) -> str | None:
        """Models are identified by manufacturer and part number (or name)."""
        part = values.get("part_number") or values.get("name")
        maker = values.get("manufacturer")
        return f"manufacturer and part number {maker} {part}" if part and maker else None

    def prepare(self, values: dict[str, Any]) -> dict[str, Any]:
        """Resolve the manufacturer and system; months of life become years."""
        months = values.pop("useful_life_months", None)
        if months is not None and values.get("useful_life_years") is None:
            values["useful_life_years"] = years_from_months(months)
        if not values.get("part_number") and values.get("name"):
            values["part_number"] = values["name"]
            self._note_named_after_model()
        if not values.get("manufacturer"):
            raise InvalidValue("Manufacturer is required.", field="manufacturer")
        values["manufacturer"] = self._manufacturer(str(values["manufacturer"]))
        if values.get("system") is not None:
            values["system"] = self._system(str(values["system"]))
        return values

    def _note_named_after_model(self) -> None:
        """Count rows whose part number is their model name (one warning for all at the end)."""
        self.named_after_model += 1

    def finish(self) -> None:
        """Say how many rows used their model name as the part number."""
        if self.named_after_model:
            self.report.warnings.append(
                f"{self.named_after_model:,} rows have no part number; "
                "their model name is used as the part number."
            )

    def _manufacturer(self, name: str) -> Manufacturer:
        """The manufacturer of this name; a new one is created (and reported)."""
        found = self.manufacturers.get(name.lower())
        if found is None:
            try:
                found = create_manufacturer(self.session, by=self.by, name=name)
            except DomainError as error:
                raise InvalidValue(error.message, field="manufacturer") from error
            self.make_related(self.manufacturers, [name.lower()], found, "manufacturer", name)
        return found

    def _system(self, code: str) -> System:
        """The system a parsed cell names (parsing already turned words into a code)."""
        system = self.systems.get(code.lower())
        if system is None:
            raise NotFound(f"There is no system {code}.", field="system")
        return system

    def find(self, values: dict[str, Any]) -> AssetModel | None:
        """The model with the row's manufacturer and part number (ignoring case)."""
        maker, part = values.get("manufacturer"), values.get("part_number")
        if not isinstance(maker, Manufacturer) or not part:
            return None
        return self.models.get((maker.name.lower(), str(part).lower()))

    def create(self, values: dict[str, Any]) -> AssetModel:
        """Add the model (the operation refuses a missing system or part number)."""
        maker, part = values.pop("manufacturer", None), values.pop("part_number", None)
        return create_model(
            self.session, by=self.by, manufacturer=maker, part_number=part, **values
        )

    def update(self, record: AssetModel, values: dict[str, Any]) -> bool:
        """Change the model's mapped fields (its assets' end of life follows)."""
        return update_model(self.session, record, by=self.by, **values)

    def remember(self, record: AssetModel) -> None:
        """Later rows with the same manufacturer and part number update this model."""
        self.models[(record.manufacturer.name.lower(), record.part_number.lower())] = record
