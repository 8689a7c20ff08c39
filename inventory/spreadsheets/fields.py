"""Import targets: for each kind (sites, models, assets) its fields, labels and header synonyms.

Synonyms are listed best first; headers match them ignoring case, spaces and punctuation, so
"Asset Tag", "asset_tag" and "ASSET-TAG" are the same. Money fields hold dollars in files (the
field's value is cents once parsed). Fields marked ``derived_into`` are not database columns: the
importer turns them into the named field (e.g. Snipe-IT's "Warranty" months → warranty_end_on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("sites", "models", "assets")


@dataclass(frozen=True)
class FieldSpec:
    """One import target: name, the header our exports use, synonyms, type and whether required."""

    name: str
    label: str
    value_type: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    derived_into: str | None = None


@dataclass(frozen=True)
class KindSpec:
    """The fields of one import kind and the groups of which at least one must be mapped."""

    kind: str
    fields: tuple[FieldSpec, ...]
    one_of: tuple[tuple[str, ...], ...] = ()

    def field(self, name: str) -> FieldSpec:
        """Return a field by name."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def required_groups(self) -> tuple[tuple[str, ...], ...]:
        """Each group needs at least one mapped field; a required field is a group of one."""
        return tuple((f.name,) for f in self.fields if f.required) + self.one_of


def header_key(header: str) -> str:
    """Compare headers ignoring case, spaces and punctuation ("LEVEL_" == "level")."""
    return re.sub(r"[\W_]+", "", str(header).casefold())


_NOTES = ("notes", "note", "comments", "comment", "remarks", "description")

SITES = KindSpec("sites", (
    FieldSpec("code", "Site code", "identifier", ("code", "site code", "school code",
              "location code", "building code", "site number", "site no", "school number",
              "school id", "site id", "ncesid", "nces id", "nces school id", "state school id",
              "id", "number", "cds code", "ncessch", "nces school", "sed code", "beds code",
              "institution id", "campus number", "campus id", "building number", "building id",
              "st schid", "schid", "school no", "location number", "location id"), True),
    FieldSpec("name", "Name", "text", ("name", "site name", "school name", "location name",
              "building name", "facility name", "school", "site", "facility", "location",
              "sch name", "legal name", "popular name", "institution name", "campus name",
              "organization name", "school legal name"), True),
    FieldSpec("kind", "Kind", "site_kind", ("kind", "site kind", "site type", "school level",
              "level", "grade span", "grade range", "grades served", "grades", "grade",
              "school type", "type", "category", "eil name", "eilname",
              "educational instruction level", "grades offered", "gs offered",
              "grade organization description", "grade organization", "school level name")),
    # A region is named: district or county names, never their ids or codes (a district id
    # would become a region called "1200002").
    FieldSpec("region", "Region", "text", ("region", "region name", "area", "zone", "cluster",
              "feeder pattern", "district name", "lea name", "school district", "district",
              "lea", "county name", "county", "district name short", "county description")),
    FieldSpec("address", "Address", "text", ("address", "street address", "address 1",
              "address line 1", "street", "mailing address", "physical address",
              "location address", "lstreet1", "location street", "school street address",
              "school address", "physical address line1", "physical address line 1",
              "street address line 1", "mstreet1")),
    FieldSpec("city", "City", "text", ("city", "town", "municipality", "locality", "lcity",
              "school city", "physical city", "location city", "mcity")),
    FieldSpec("state", "State", "text", ("state", "st", "state code", "state abbreviation",
              "province", "lstate", "school state", "physical state", "location state",
              "mstate")),
    FieldSpec("postal_code", "Postal code", "postal_code", ("postal code", "zip", "zip code",
              "zipcode", "postcode", "post code", "zip5", "lzip", "school zip", "zip cd",
              "physical zip", "physical zip code", "location zip", "mzip")),
    FieldSpec("phone", "Phone", "text", ("phone", "telephone", "phone number", "tel",
              "main phone", "office phone", "telephone number", "school phone")),
    FieldSpec("enrollment", "Enrollment", "int", ("enrollment", "enrolment", "total enrollment",
              "student enrollment", "students", "student count", "number of students",
              "membership", "member", "total students", "school enrollment")),
    FieldSpec("administrator_name", "Administrator", "text", ("administrator",
              "administrator name", "site administrator", "principal", "principal name",
              "contact name", "contact", "manager", "site manager", "school principal",
              "ceo name", "head of school")),
    FieldSpec("administrator_email", "Administrator email", "text", ("administrator email",
              "principal email", "contact email", "manager email", "email", "email address",
              "adm email1", "school email address", "school email")),
    FieldSpec("status", "Status", "site_status", ("status", "site status", "school status",
              "operational status", "status type", "sy status text", "sy status",
              "school status text")),
    FieldSpec("latitude", "Latitude", "decimal", ("latitude", "lat")),
    FieldSpec("longitude", "Longitude", "decimal", ("longitude", "long", "lon", "lng")),
    FieldSpec("notes", "Notes", "text", _NOTES),
))  # fmt: skip

MODELS = KindSpec("models", (
    FieldSpec("manufacturer", "Manufacturer", "text", ("manufacturer", "vendor", "make",
              "brand", "manufacturer name", "mfr", "mfg", "oem"), True),
    FieldSpec("part_number", "Part number", "identifier", ("part number", "part no", "part #",
              "pn", "mpn", "sku", "model number", "model no", "model #", "product number",
              "product no", "product code", "model code"), True),
    FieldSpec("name", "Model name", "text", ("model name", "name", "model", "product name",
              "display name", "description")),
    FieldSpec("system", "System", "system", ("system", "infrastructure system", "category",
              "device role", "role", "device category", "equipment type", "product type",
              "asset type", "type")),
    FieldSpec("useful_life_years", "Useful life (years)", "int", ("useful life years",
              "useful life", "life years", "lifespan years", "lifespan", "expected life",
              "lifecycle years", "service life")),
    FieldSpec("useful_life_months", "Useful life (months)", "int", ("useful life months",
              "eol months", "eol", "lifespan months", "depreciation months"),
              derived_into="useful_life_years"),
    FieldSpec("end_of_sale_on", "End of sale", "date", ("end of sale", "end of sale date",
              "eos", "eos date", "last date of sale", "end of sale on")),
    FieldSpec("end_of_support_on", "End of support", "date", ("end of support",
              "end of support date", "end of support on", "ldos", "last date of support",
              "end of life", "end of life date", "eol date", "end of service life")),
    FieldSpec("unit_cost_cents", "Unit cost", "money", ("unit cost", "cost", "unit price",
              "price", "list price", "msrp", "purchase cost")),
))  # fmt: skip

ASSETS = KindSpec("assets", (
    FieldSpec("tag", "Asset tag", "identifier", ("asset tag", "tag", "asset number", "asset no",
              "asset tag number", "asset id", "property tag", "property number",
              "inventory number", "inventory tag", "inventory no", "barcode", "niw")),
    FieldSpec("serial", "Serial number", "identifier", ("serial", "serial number", "serial no",
              "serial #", "serialnumber", "sn", "s n", "service tag")),
    FieldSpec("manufacturer", "Manufacturer", "text", ("manufacturer", "vendor", "make",
              "brand", "mfr")),
    FieldSpec("model", "Model", "identifier", ("model", "model number", "model no", "model #",
              "part number", "part no", "model str", "model name", "device type", "product",
              "product name", "type")),
    FieldSpec("site", "Site", "text", ("site", "site code", "school code", "site name", "school",
              "school name", "building", "campus", "facility", "location", "warehouse")),
    FieldSpec("location", "Room or closet", "text", ("room or closet", "location", "room",
              "closet", "room closet", "room number", "idf", "mdf", "rack str", "rack",
              "sublocation")),
    FieldSpec("status", "Status", "asset_status", ("status", "asset status", "status label",
              "state", "asset state", "device status", "lifecycle status")),
    FieldSpec("installed_on", "Installed on", "date", ("installed on", "install date",
              "installation date", "installed", "in service date", "production use date",
              "deployment date", "deployed on", "purchase date", "purchased", "date purchased",
              "purchased on", "acquisition date", "invoice date", "delivery date", "order date")),
    FieldSpec("cost_cents", "Cost", "money", ("cost", "purchase cost", "purchase price",
              "price", "unit cost", "amount")),
    FieldSpec("warranty_end_on", "Warranty end", "date", ("warranty end", "warranty end date",
              "warranty end on", "warranty ends", "warranty expires", "warranty expiration",
              "warranty expiration date", "warranty expiry", "warranty expiry date",
              "warranty until", "warranty date", "warranty end of support")),
    FieldSpec("warranty_months", "Warranty (months)", "int", ("warranty months", "warranty",
              "warranty length", "warranty term", "warranty period"),
              derived_into="warranty_end_on"),
    FieldSpec("notes", "Notes", "text", ("notes", "asset notes", "note", "comments", "comment",
              "remarks", "description")),
), one_of=(("tag", "serial"),))  # fmt: skip

KIND_SPECS = {spec.kind: spec for spec in (SITES, MODELS, ASSETS)}


def kind_spec(kind: str) -> KindSpec:
    """Return the spec of an import kind, or raise ValueError naming the known kinds."""
    try:
        return KIND_SPECS[kind]
    except KeyError:
        raise ValueError(f'"{kind}" is not an import kind; use one of {", ".join(KINDS)}') from None


def candidate_keys(spec: FieldSpec) -> list[str]:
    """The header keys that select a field, best first: its name, its label, then synonyms."""
    names = [spec.label, *spec.synonyms]
    if spec.value_type != "money":  # a "cost_cents" header is ambiguous about its unit
        names.insert(0, spec.name)
    keys: list[str] = []
    for name in names:
        key = header_key(name)
        if key and key not in keys:
            keys.append(key)
    return keys
