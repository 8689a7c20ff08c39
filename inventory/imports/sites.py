"""Sites import: matched by code; regions named in the file are found or created."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from inventory.changelog import set_actor
from inventory.enums import SiteKind, SiteStatus
from inventory.imports.base import KindImporter, same
from inventory.models import Region, Site
from inventory.operations.fields import clean_fields
from inventory.operations.sites import SITE_FIELDS, create_region, create_site, update_site


def region_code_for(name: str, taken: set[str]) -> str:
    """A region code made from its name (as the site operations do), unique among `taken`."""
    base = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:32] or "REGION"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f"-{number}"
        candidate, number = base[: 32 - len(suffix)] + suffix, number + 1
    return candidate


class SiteImporter(KindImporter):
    """Creates or updates sites by code."""

    kind = "sites"
    keep_when_blank = frozenset({"kind", "status"})

    def preload(self, rows: list[dict[str, Any]]) -> None:
        """Every site by code and every region by code and name (districts have thousands)."""
        self.sites = {site.code.lower(): site for site in self.session.scalars(select(Site))}
        self.regions: dict[str, Region] = {}
        for region in self.session.scalars(select(Region)):
            self.regions[region.name.lower()] = region
            self.regions.setdefault(region.code.lower(), region)
        self.region_codes = {region.code.lower() for region in self.regions.values()}

    def key(self, values: dict[str, Any]) -> str | None:
        """Sites are identified by code."""
        code = values.get("code")
        return f"site code {code}" if code else None

    def prepare(self, values: dict[str, Any]) -> dict[str, Any]:
        """Turn the region's name into a Region, creating it when new."""
        if values.get("region") is not None:
            values["region"] = self._region(str(values["region"]))
        return values

    def _region(self, name: str) -> Region:
        """The region with this code or name; a new one is created (and reported)."""
        found = self.regions.get(name.lower())
        if found is not None:
            return found
        code = region_code_for(name, self.region_codes)
        region = create_region(self.session, by=self.by, code=code, name=name)
        self.make_related(self.regions, [name.lower(), code.lower()], region, f"region {name}")
        self.region_codes.add(code.lower())
        return region

    def forget_row(self) -> None:
        """Also free the codes of regions made by the rolled-back row."""
        for cache, keys, _ in self.pending:
            if cache is self.regions:
                self.region_codes.discard(keys[-1])
        super().forget_row()

    def fast(self, values: dict[str, Any]) -> str | None:
        """New sites are validated by the operation's cleaners and added in batches; rows that
        change nothing are recognised without a write."""
        values = self.kept(dict(values))
        has_region = "region" in values
        region_name = values.pop("region", None)
        record = self.find(values)
        cleaned = clean_fields(self.session, SITE_FIELDS, values)
        if record is not None:
            if has_region:
                cleaned["region"] = (
                    self.regions.get(str(region_name).lower()) if region_name else None
                )
                if region_name and cleaned["region"] is None:
                    return None
            return "unchanged" if same(record, cleaned) else None
        self.pending = []
        if has_region and region_name:
            cleaned["region"] = self._region(str(region_name))
        cleaned.setdefault("kind", SiteKind.OTHER)
        cleaned.setdefault("status", SiteStatus.ACTIVE)
        set_actor(self.session, self.by)
        self.added(Site(**cleaned))
        self.row_done()
        return "created"

    def find(self, values: dict[str, Any]) -> Site | None:
        """The site with the row's code (ignoring case)."""
        code = values.get("code")
        return self.sites.get(str(code).lower()) if code else None

    def create(self, values: dict[str, Any]) -> Site:
        """Add the site."""
        code, name = values.pop("code", None), values.pop("name", None)
        return create_site(self.session, by=self.by, code=code, name=name, **values)

    def update(self, record: Site, values: dict[str, Any]) -> bool:
        """Change the site's mapped fields."""
        return update_site(self.session, record, by=self.by, **values)

    def remember(self, record: Site) -> None:
        """Later rows with the same code update this site."""
        self.sites[record.code.lower()] = record
