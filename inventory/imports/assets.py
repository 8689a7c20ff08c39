"""Assets import: matched by asset tag, else serial number; sites and models looked up.

Only the tags and serial numbers the file names are loaded (a chunk of rows at a time), so a
district with a million assets imports a small file quickly. Warranty months become a warranty
end date counted from the install date (the row's, else the asset's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from inventory.errors import Duplicate, InvalidValue
from inventory.imports.base import KindImporter, same
from inventory.models import Asset, AssetModel, Site
from inventory.operations.assets import ASSET_FIELDS, create_asset, update_asset
from inventory.operations.fields import clean_fields
from inventory.spreadsheets.values import add_months

CHUNK = 500


def _chunks(values: list[str]) -> Iterable[list[str]]:
    """Slices small enough for an IN (...) list on every database."""
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class AssetImporter(KindImporter):
    """Creates or updates assets by tag, else serial number."""

    kind = "assets"
    keep_when_blank = frozenset({"tag", "site", "model", "manufacturer", "status"})
    sources = {"warranty_end_on": "warranty_months"}

    def start(self) -> None:
        """Every site, and every model of the catalogue."""
        self.by_tag: dict[str, Asset] = {}
        self.by_serial: dict[str, list[Asset]] = defaultdict(list)
        self._load_sites()
        self._load_models()

    def preload(self, rows: list[dict[str, Any]]) -> None:
        """The assets whose tag or serial number the chunk's rows give."""
        self._load_assets(Asset.tag, {str(r["tag"]).lower() for r in rows if r.get("tag")})
        self._load_assets(Asset.serial, {str(r["serial"]).lower() for r in rows if r.get("serial")})

    def _load_assets(self, column: Any, keys: set[str]) -> None:
        """Load the assets whose tag or serial (ignoring case) the file names."""
        for chunk in _chunks(sorted(keys)):
            for asset in self.session.scalars(select(Asset).where(func.lower(column).in_(chunk))):
                self._remember_asset(asset)

    def _remember_asset(self, asset: Asset) -> None:
        """Index an asset by tag and serial."""
        self.by_tag[asset.tag.lower()] = asset
        if asset.serial:
            matches = self.by_serial[asset.serial.lower()]
            if asset not in matches:
                matches.append(asset)

    def _load_sites(self) -> None:
        """Sites by code, and by name where the name is unique."""
        self.sites: dict[str, Site] = {}
        names: dict[str, list[Site]] = defaultdict(list)
        for site in self.session.scalars(select(Site)):
            self.sites[site.code.lower()] = site
            names[site.name.lower()].append(site)
        for name, sites in names.items():
            if len(sites) == 1:
                self.sites.setdefault(name, sites[0])

    def _load_models(self) -> None:
        """Models by (manufacturer, part number or name), and by either alone where unique."""
        self.models: dict[tuple[str | None, str], AssetModel | None] = {}
        query = select(AssetModel).options(selectinload(AssetModel.manufacturer))
        for model in self.session.scalars(query):
            maker = model.manufacturer.name.lower()
            for key in {model.part_number.lower(), model.name.lower()}:
                self.models.setdefault((maker, key), model)
                seen = self.models.get((None, key), model)
                self.models[(None, key)] = model if seen is model else None

    def key(self, values: dict[str, Any]) -> str | None:
        """Assets are identified by tag, else serial number."""
        if values.get("tag"):
            return f"asset tag {values['tag']}"
        return f"serial number {values['serial']}" if values.get("serial") else None

    def find(self, values: dict[str, Any]) -> Asset | None:
        """The asset with the row's tag, else the one asset with its serial number."""
        if values.get("tag"):
            found = self.by_tag.get(str(values["tag"]).lower())
            if found is not None or not values.get("serial"):
                return found
        if not values.get("serial"):
            return None
        matches = self.by_serial.get(str(values["serial"]).lower(), [])
        if len(matches) > 1:
            message = f"Several assets have the serial number {values['serial']}."
            raise Duplicate(message, field="serial")
        return matches[0] if matches else None

    def prepare(self, values: dict[str, Any]) -> dict[str, Any]:
        """Resolve site and model; warranty months become a warranty end date."""
        record = self.find(values)
        months = values.pop("warranty_months", None)
        if months is not None and values.get("warranty_end_on") is None:
            installed = values.get("installed_on") or (record.installed_on if record else None)
            if installed is None:
                message = "A warranty in months needs an install date to count from."
                raise InvalidValue(message, field="warranty_end_on")
            values["warranty_end_on"] = add_months(installed, months)
        if values.get("site") is not None:
            values["site"] = self.sites.get(str(values["site"]).lower(), values["site"])
        self._resolve_model(values)
        if record is None and values.get("model") is None:
            raise InvalidValue("Model is required for a new asset.", field="model")
        return values

    def _resolve_model(self, values: dict[str, Any]) -> None:
        """Put the AssetModel in `model` when found; otherwise the operation reports it."""
        model, maker = values.get("model"), values.get("manufacturer")
        if model is None:
            values.pop("manufacturer", None)
            return
        maker_key = str(maker).lower() if maker else None
        found = self.models.get((maker_key, str(model).lower()))
        if found is not None:
            values["model"] = found
            values.pop("manufacturer", None)

    def fast(self, values: dict[str, Any]) -> str | None:
        """Recognise a row that changes nothing about its asset without writing."""
        prepared = self.kept(self.prepare(dict(values)))
        record = self.find(prepared)
        if record is None:
            return None
        model = prepared.pop("model", None)
        prepared.pop("manufacturer", None)
        if model is not None and model is not record.model:
            return None
        cleaned = clean_fields(self.session, ASSET_FIELDS, prepared)
        return "unchanged" if same(record, cleaned) else None

    def create(self, values: dict[str, Any]) -> Asset:
        """Record the asset (the operation checks the tag, site, model and dates)."""
        tag, model, site = values.pop("tag", None), values.pop("model"), values.pop("site", None)
        return create_asset(self.session, by=self.by, tag=tag, model=model, site=site, **values)

    def update(self, record: Asset, values: dict[str, Any]) -> bool:
        """Change the asset's mapped fields."""
        return update_asset(self.session, record, by=self.by, **values)

    def remember(self, record: Asset) -> None:
        """Later rows with the same tag or serial update this asset."""
        self._remember_asset(record)
