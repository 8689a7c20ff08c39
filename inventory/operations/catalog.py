"""The catalogue: systems, manufacturers and asset models.

API (keyword data; flush, never commit; failures raise inventory.errors with `field`):
    ensure_standard_systems(session) -> list[System]        # the migration seeds the same list
    create_system(session, *, by, code, name, default_useful_life_years=7) -> System
    update_system(session, system, *, by, expected_version=None, **fields) -> bool
    retire_system(session, system, *, by) -> System          # is_active False
    find_system(session, code_or_name) -> System | None
    create_manufacturer(session, *, by, name) -> Manufacturer
    update_manufacturer(session, manufacturer, *, by, name, expected_version=None) -> bool
    retire_manufacturer(session, manufacturer, *, by) -> Manufacturer
    find_manufacturer(session, name) -> Manufacturer | None
    create_model(session, *, by, manufacturer, part_number, **fields) -> AssetModel
    update_model(session, model, *, by, expected_version=None, **fields) -> bool  # + end of life
    retire_model(session, model, *, by) -> AssetModel
    find_model(session, manufacturer, part_number_or_name) -> AssetModel | None
Model fields: manufacturer (Manufacturer or name; a new name creates it), part_number, name
(defaults to the part number), system (System, code or name; required), useful_life_years
(defaults to the system's), end_of_sale_on, end_of_support_on, unit_cost_cents. A retired system
or manufacturer is refused for new models and for a change; a model keeps the one it has.
`expected_version` is the version an edit form was read at (a newer save: StaleEdit).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from inventory.changelog import set_actor
from inventory.errors import Duplicate, InvalidValue, NotFound
from inventory.lifecycle import end_of_life
from inventory.models import Asset, AssetModel, Manufacturer, System, User
from inventory.operations.fields import (
    Cleaner,
    apply_changes,
    check_version,
    clean_fields,
    code,
    date,
    flush_or_stale,
    insert_new,
    money,
    number,
    refuse_taken,
    text,
)

STANDARD_SYSTEMS = [
    ("network_core", "Network core", 8),
    ("lan", "LAN switching", 7),
    ("wifi", "Wi-Fi", 6),
    ("voice", "Voice", 8),
    ("video", "Video and AV", 8),
    ("cameras", "Security cameras", 7),
    ("access_control", "Access control", 10),
    ("power", "Power and UPS", 8),
    ("servers", "Servers", 5),
    ("cabling", "Cabling", 20),
]
MAX_COST_CENTS = 10_000_000_000  # 100 million dollars (the planning tables' money is 64-bit)
MAX_ITEM_COST_CENTS = 2_000_000_000  # 20 million dollars: an asset's cost columns are 32-bit

SYSTEM_FIELDS: dict[str, Cleaner] = {
    "code": code("code", "System code"),
    "name": text("name", "System name", 120, required=True),
    "default_useful_life_years": number(
        "default_useful_life_years", "Default useful life", 1, 50, required=True
    ),
}


def ensure_standard_systems(session: Session) -> list[System]:
    """Add any standard system that is missing (by code); return all systems."""
    existing = set(session.scalars(select(System.code)))
    for system_code, name, life in STANDARD_SYSTEMS:
        if system_code not in existing:
            session.add(System(code=system_code, name=name, default_useful_life_years=life))
    session.flush()
    return list(session.scalars(select(System).order_by(System.id)))


def create_system(
    session: Session, *, by: User | None, code: str, name: str, default_useful_life_years: int = 7
) -> System:
    """Add an infrastructure system."""
    set_actor(session, by)
    fields = {"code": code, "name": name, "default_useful_life_years": default_useful_life_years}
    values = clean_fields(session, SYSTEM_FIELDS, fields)
    check = partial(refuse_taken, session, System, values, ("code", "name"), "system")
    check()
    return insert_new(session, lambda: System(**values), check)


def update_system(
    session: Session,
    system: System,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Change a system's code, name or default useful life; True if anything changed."""
    check_version(system, expected_version)
    set_actor(session, by)
    values = clean_fields(session, SYSTEM_FIELDS, fields)
    refuse_taken(session, System, {**values, "id": system.id}, ("code", "name"), "system")
    changed = apply_changes(system, values)
    flush_or_stale(session, system)
    return changed


def _retire(session: Session, obj: Any, by: User | None) -> Any:
    """Stop offering a catalogue entry for new use; what already has it keeps it."""
    set_actor(session, by)
    obj.is_active = False
    flush_or_stale(session, obj)
    return obj


def retire_system(session: Session, system: System, *, by: User | None) -> System:
    """Stop offering a system for new models; existing models keep it."""
    return _retire(session, system, by)


def find_system(session: Session, code_or_name: str) -> System | None:
    """The system with this code or name (case-insensitive)."""
    key = str(code_or_name).strip().lower()
    for column in (System.code, System.name):
        system = session.scalar(select(System).where(func.lower(column) == key).limit(1))
        if system is not None:
            return system
    return None


MANUFACTURER_NAME = text("name", "Manufacturer", 120, required=True)


def create_manufacturer(session: Session, *, by: User | None, name: str) -> Manufacturer:
    """Add a manufacturer; names are unique, ignoring case."""
    set_actor(session, by)
    values = {"name": MANUFACTURER_NAME(session, name)}
    check = partial(refuse_taken, session, Manufacturer, values, ("name",), "manufacturer")
    check()
    return insert_new(session, lambda: Manufacturer(**values), check)


def update_manufacturer(
    session: Session,
    manufacturer: Manufacturer,
    *,
    by: User | None,
    name: str,
    expected_version: int | None = None,
) -> bool:
    """Rename a manufacturer; True if the name changed."""
    check_version(manufacturer, expected_version)
    set_actor(session, by)
    values = {"name": MANUFACTURER_NAME(session, name)}
    refuse_taken(
        session, Manufacturer, {**values, "id": manufacturer.id}, ("name",), "manufacturer"
    )
    changed = apply_changes(manufacturer, values)
    flush_or_stale(session, manufacturer)
    return changed


def retire_manufacturer(
    session: Session, manufacturer: Manufacturer, *, by: User | None
) -> Manufacturer:
    """Stop offering a manufacturer for new models."""
    return _retire(session, manufacturer, by)


def find_manufacturer(session: Session, name: str) -> Manufacturer | None:
    """The manufacturer with this name (case-insensitive)."""
    key = str(name).strip().lower()
    return session.scalar(select(Manufacturer).where(func.lower(Manufacturer.name) == key))


def _manufacturer(session: Session, value: Any) -> Manufacturer:
    """A Manufacturer, or one found (or created) by name."""
    if isinstance(value, Manufacturer):
        return value
    name = MANUFACTURER_NAME(session, value)
    found = find_manufacturer(session, name)
    if found is None:
        found = Manufacturer(name=name)
        session.add(found)
    return found


def _system(session: Session, value: Any) -> System:
    """A System, or the one with this code or name."""
    if isinstance(value, System):
        return value
    if value is None or not str(value).strip():
        raise InvalidValue("System is required.", field="system")
    found = find_system(session, str(value))
    if found is None:
        raise NotFound(f"There is no system {value}.", field="system")
    return found


MODEL_FIELDS: dict[str, Cleaner] = {
    "manufacturer": _manufacturer,
    "part_number": text("part_number", "Part number", 120, required=True),
    "name": text("name", "Model name", 200),
    "system": _system,
    "useful_life_years": number("useful_life_years", "Useful life (years)", 1, 50),
    "end_of_sale_on": date("end_of_sale_on", "End of sale"),
    "end_of_support_on": date("end_of_support_on", "End of support"),
    "unit_cost_cents": money("unit_cost_cents", "Unit cost", MAX_ITEM_COST_CENTS),
}


def _refuse_retired(values: dict[str, Any], model: AssetModel | None) -> None:
    """New models, and a model moved to another system or manufacturer, may not pick a retired
    one; a model keeps the one it has."""
    for name in ("system", "manufacturer"):
        chosen = values.get(name)
        if chosen is None or (model is not None and chosen is getattr(model, name)):
            continue
        if chosen.is_active is False:  # None: a manufacturer created just now
            message = f"The {name} {chosen.name} is retired; choose another."
            raise InvalidValue(message, field=name)


def _check_model(session: Session, values: dict[str, Any], own_id: int | None) -> None:
    """Part numbers are unique per manufacturer; support does not end before sale does."""
    sale, support = values.get("end_of_sale_on"), values.get("end_of_support_on")
    if sale and support and support < sale:
        message = "End of support cannot be before end of sale."
        raise InvalidValue(message, field="end_of_support_on")
    manufacturer = values["manufacturer"]
    if manufacturer.id is None:
        return
    query = select(AssetModel.id).where(
        AssetModel.manufacturer_id == manufacturer.id,
        func.lower(AssetModel.part_number) == values["part_number"].lower(),
    )
    if own_id is not None:
        query = query.where(AssetModel.id != own_id)
    if session.scalar(query.limit(1)) is not None:
        raise Duplicate(
            f"{manufacturer.name} already has a model {values['part_number']}.",
            field="part_number",
        )


def create_model(
    session: Session, *, by: User | None, manufacturer: Any, part_number: str, **fields: Any
) -> AssetModel:
    """Add an asset model to the catalogue."""
    set_actor(session, by)
    fields = {"manufacturer": manufacturer, "part_number": part_number, **fields}
    fields.setdefault("system", None)
    with session.no_autoflush:
        values = clean_fields(session, MODEL_FIELDS, fields)
        values["name"] = values.get("name") or values["part_number"]
        life = values.get("useful_life_years") or values["system"].default_useful_life_years
        values["useful_life_years"] = life
        _refuse_retired(values, None)
        _check_model(session, values, None)
    return insert_new(
        session, lambda: AssetModel(**values), lambda: _check_model(session, values, None)
    )


def update_model(
    session: Session,
    model: AssetModel,
    *,
    by: User | None,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Change a model; its assets' end of life follows. True if anything changed."""
    check_version(model, expected_version)
    set_actor(session, by)
    with session.no_autoflush:
        values = clean_fields(session, MODEL_FIELDS, fields)
        _refuse_retired(values, model)
        if "name" in values:
            values["name"] = values["name"] or values.get("part_number") or model.part_number
        if "useful_life_years" in values and values["useful_life_years"] is None:
            del values["useful_life_years"]
        current = {name: getattr(model, name) for name in MODEL_FIELDS}
        _check_model(session, {**current, **values}, model.id)
        changed = apply_changes(model, values)
    flush_or_stale(session, model)
    if changed:
        refresh_end_of_life(session, model)
    return changed


def retire_model(session: Session, model: AssetModel, *, by: User | None) -> AssetModel:
    """Stop offering a model for new assets; existing assets keep it."""
    return _retire(session, model, by)


def refresh_end_of_life(session: Session, model: AssetModel) -> int:
    """Recompute the stored end of life of the model's assets; return how many changed."""
    rows = session.execute(
        select(Asset.id, Asset.installed_on, Asset.end_of_life_on).where(Asset.model_id == model.id)
    )
    changes = []
    for asset_id, installed_on, stored in rows:
        new = end_of_life(installed_on, model.useful_life_years, model.end_of_support_on)
        if new != stored:
            changes.append({"asset_id": asset_id, "new_end_of_life": new})
    if changes:
        # A derived date, not something a person typed: the assets' versions stay as they are
        # (an edit form open on one of them is not made stale by a change of its model).
        table = Asset.__table__
        session.execute(
            update(table)
            .where(table.c.id == bindparam("asset_id"))
            .values(end_of_life_on=bindparam("new_end_of_life")),
            changes,
        )
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Asset) and obj.model_id == model.id:
                session.expire(obj, ["end_of_life_on"])
    return len(changes)


def find_model(session: Session, manufacturer: Any, part_number_or_name: str) -> AssetModel | None:
    """The model with this part number (else the one with this name), of this manufacturer
    when one is given (a Manufacturer or its name; None or blank: any)."""
    key = str(part_number_or_name).strip().lower()
    query = select(AssetModel).join(AssetModel.manufacturer)
    if isinstance(manufacturer, Manufacturer):
        query = query.where(AssetModel.manufacturer_id == manufacturer.id)
    elif manufacturer is not None and str(manufacturer).strip():
        query = query.where(func.lower(Manufacturer.name) == str(manufacturer).strip().lower())
    for column in (AssetModel.part_number, AssetModel.name):
        matches = list(session.scalars(query.where(func.lower(column) == key).limit(2)))
        if len(matches) == 1:
            return matches[0]
    return None
