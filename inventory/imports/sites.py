"""Sites import: matched by code; regions named in the file are found or created.

A new site is checked by the site operation's own cleaners (and its code against every site's
code, ignoring case) and queued; queued sites are inserted in batches with their change log
entries (`bulk.NewRecords`). A row that changes an existing site goes through `update_site`.
Every site's code is loaded once; the sites a chunk of rows names are loaded with that chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from inventory.enums import SiteKind, SiteStatus
from inventory.errors import DomainError, InvalidValue
from inventory.imports.base import KindImporter, same
from inventory.imports.bulk import Inserted, NewRecords
from inventory.models import Region, Site
from inventory.operations.fields import clean_fields, refuse_taken
from inventory.operations.sites import SITE_FIELDS, create_region, create_site, update_site

IDS_PER_QUERY = 500


def region_code_for(name: str, taken: set[str]) -> str:
    """A region code made from its name (as the site operations do), unique among `taken`."""
    base = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:32] or "REGION"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f"-{number}"
        candidate, number = base[: 32 - len(suffix)] + suffix, number + 1
    return candidate


def looks_like_an_id(name: str) -> bool:
    """A value with no letter ("1200002", "12-04") is an id or a code, not a name."""
    return not any(character.isalpha() for character in name)


def _slices(ids: list[int]) -> Iterator[list[int]]:
    """Slices small enough for an IN (...) list on every database."""
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


class SiteImporter(KindImporter):
    """Creates or updates sites by code."""

    kind = "sites"
    keep_when_blank = frozenset({"kind", "status"})

    def start(self) -> None:
        """Every region by code and name, and every site's code (districts have thousands)."""
        self.regions: dict[str, Region] = {}
        for region in self.session.scalars(select(Region)):
            self.regions[region.name.lower()] = region
            self.regions.setdefault(region.code.lower(), region)
        self.region_codes = {region.code.lower() for region in self.regions.values()}
        rows = self.session.execute(select(Site.code, Site.id))
        self.site_ids: dict[str, int] = {code.lower(): site_id for code, site_id in rows}
        self.sites: dict[str, Site] = {}
        self.queued: set[str] = set()  # codes of new sites waiting for their batch
        self.new_sites = NewRecords(
            self.session,
            Site,
            key="code",
            by=self.by,
            explain=self._explain,
            refused=self._refused,
        )

    def preload(self, rows: list[dict[str, Any]]) -> None:
        """The existing sites the chunk's rows name."""
        codes = {str(row["code"]).lower() for row in rows if row.get("code")}
        ids = sorted(self.site_ids[code] for code in codes if code in self.site_ids)
        self.sites = {}
        for part in _slices(ids):
            for site in self.session.scalars(select(Site).where(Site.id.in_(part))):
                self.sites[site.code.lower()] = site

    def end_chunk(self) -> None:
        """Insert the sites the chunk queued."""
        self._written(self.new_sites.write())

    def finish(self) -> None:
        """Insert the sites still queued."""
        self._written(self.new_sites.write())

    def _written(self, inserted: list[Inserted]) -> None:
        """Later rows with the code of an inserted site update it."""
        for _, values, site_id in inserted:
            code = values["code"].lower()
            self.site_ids[code] = site_id
            self.queued.discard(code)

    def _refused(self, row: int, error: DomainError) -> None:
        """A queued site the database refused (a code saved meanwhile by someone else)."""
        self.refusals.append((row, error))

    def _explain(self, values: dict[str, Any]) -> None:
        """Raise the Duplicate a refused site's code is, if it is one."""
        refuse_taken(self.session, Site, {"code": values["code"]}, ("code",), "site")

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
        if looks_like_an_id(name):
            raise InvalidValue(
                f'"{name}" looks like an id, not a region name; map the column with the '
                "district or county name to Region.",
                field="region",
            )
        code = region_code_for(name, self.region_codes)
        try:
            region = create_region(self.session, by=self.by, code=code, name=name)
        except DomainError as error:
            raise InvalidValue(error.message, field="region") from error
        self.make_related(self.regions, [name.lower(), code.lower()], region, "region", name)
        self.region_codes.add(code.lower())
        return region

    def forget_row(self) -> None:
        """Also free the codes of regions made by the rolled-back row."""
        for cache, keys, _, _ in self.pending:
            if cache is self.regions:
                self.region_codes.discard(keys[-1])
        super().forget_row()

    def fast(self, values: dict[str, Any]) -> str | None:
        """A new site is checked by the operation's cleaners and queued; a row that changes
        nothing is recognised without a write; others go through `update_site`."""
        values = self.kept(dict(values))
        has_region = "region" in values
        region_name = values.pop("region", None)
        record = self.find(values)  # writes the queue first if this code is waiting in it
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
        region = self._region(str(region_name)) if has_region and region_name else None
        cleaned["region_id"] = region.id if region is not None else None
        cleaned["kind"] = cleaned.get("kind") or SiteKind.OTHER
        cleaned["status"] = cleaned.get("status") or SiteStatus.ACTIVE
        self.queued.add(cleaned["code"].lower())
        self._written(self.new_sites.add(self.row_number, cleaned))
        self.row_done()
        return "created"

    def find(self, values: dict[str, Any]) -> Site | None:
        """The site with the row's code (ignoring case), including one this file created."""
        code = values.get("code")
        if not code:
            return None
        key = str(code).lower()
        if key in self.queued:  # a later row of the file changes a site it creates
            self._written(self.new_sites.write())
        site = self.sites.get(key)
        if site is None and key in self.site_ids:
            site = self.sites[key] = self.session.get(Site, self.site_ids[key])
        return site

    def create(self, values: dict[str, Any]) -> Site:
        """Add the site."""
        code, name = values.pop("code", None), values.pop("name", None)
        return create_site(self.session, by=self.by, code=code, name=name, **values)

    def update(self, record: Site, values: dict[str, Any]) -> bool:
        """Change the site's mapped fields."""
        return update_site(self.session, record, by=self.by, **values)

    def remember(self, record: Site) -> None:
        """Later rows with the same code update this site."""
        self.site_ids[record.code.lower()] = record.id
        self.sites[record.code.lower()] = record
