"""Two people at once: a save from a stale form or a race at flush never silently overwrites,
and two creates of the same unique value give the second a field error, never a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from inventory.errors import Duplicate, StaleEdit
from inventory.models import Asset, AssetModel, Manufacturer, Region, Site, System
from inventory.operations.assets import create_asset, update_asset
from inventory.operations.catalog import (
    create_manufacturer,
    create_model,
    create_system,
    update_manufacturer,
    update_model,
    update_system,
)
from inventory.operations.sites import create_region, create_site, update_region, update_site
from tests.factories import make_asset, make_model, make_region, make_site, make_system


@dataclass(frozen=True)
class Kind:
    """How to make, load and change one kind of inventory object."""

    model: type
    make: Callable[[Session], Any]
    update: Callable[..., bool]
    field: str
    theirs: Any
    mine: Any


KINDS = {
    "asset": Kind(Asset, make_asset, update_asset, "location", "Room 101", "Room 202"),
    "site": Kind(Site, make_site, update_site, "name", "Lincoln High", "Lincoln Middle"),
    "region": Kind(Region, make_region, update_region, "name", "North", "South"),
    "system": Kind(
        System, lambda s: make_system(s, "wifi"), update_system, "name", "WLAN", "Radio"
    ),
    "manufacturer": Kind(
        Manufacturer, lambda s: make_model(s).manufacturer, update_manufacturer, "name", "Ac", "Am"
    ),
    "model": Kind(AssetModel, make_model, update_model, "name", "Theirs 24", "Mine 48"),
}


@pytest.fixture
def other(app) -> Iterator[Session]:
    """A second person's session, on its own connection."""
    with app.extensions["rollout.sessions"]() as second:
        yield second


def _made(session: Session, kind: Kind) -> int:
    """A committed object of the kind; its id."""
    obj = kind.make(session)
    session.commit()
    return obj.id


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_save_from_a_form_read_before_anothers_save_is_refused(session, other, name) -> None:
    kind = KINDS[name]
    object_id = _made(session, kind)
    read_at = session.get(kind.model, object_id).version
    theirs = other.get(kind.model, object_id)
    kind.update(other, theirs, by=None, **{kind.field: kind.theirs})
    other.commit()

    session.expire_all()  # the save is a new request: it reads the row as saved now
    mine = session.get(kind.model, object_id)
    with pytest.raises(StaleEdit):
        kind.update(session, mine, by=None, expected_version=read_at, **{kind.field: kind.mine})
    session.rollback()

    assert getattr(session.get(kind.model, object_id), kind.field) == kind.theirs


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_race_caught_at_flush_is_a_stale_edit_not_a_crash(session, other, name) -> None:
    kind = KINDS[name]
    object_id = _made(session, kind)
    mine = session.get(kind.model, object_id)  # read, and checked, before the other save
    read_at = mine.version
    theirs = other.get(kind.model, object_id)
    kind.update(other, theirs, by=None, **{kind.field: kind.theirs})
    other.commit()

    with pytest.raises(StaleEdit):
        kind.update(session, mine, by=None, expected_version=read_at, **{kind.field: kind.mine})
    session.rollback()

    assert getattr(session.get(kind.model, object_id), kind.field) == kind.theirs


def test_a_form_read_at_the_current_version_saves(session) -> None:
    site = make_site(session)
    session.commit()
    assert update_site(session, site, by=None, expected_version=site.version, name="Renamed")
    session.commit()
    assert site.version == 2


# Two creates of the same unique value. -------------------------------------------------------


def _create_asset(session: Session, site_id: int, model_id: int) -> Any:
    site, model = session.get(Site, site_id), session.get(AssetModel, model_id)
    return create_asset(session, by=None, tag="RACE-1", site=site, model=model)


def _create_model(session: Session, maker_id: int, system_id: int) -> Any:
    maker, system = session.get(Manufacturer, maker_id), session.get(System, system_id)
    return create_model(session, by=None, manufacturer=maker, part_number="RX-1", system=system)


CREATES: dict[str, tuple[type, str, str, Callable[..., Any]]] = {
    "asset": (Asset, "tag", "RACE-1", _create_asset),
    "site": (Site, "code", "RACE1", lambda s, *_: create_site(s, by=None, code="RACE1", name="R")),
    "region": (Region, "code", "RC", lambda s, *_: create_region(s, by=None, code="RC", name="R")),
    "system": (System, "code", "rc", lambda s, *_: create_system(s, by=None, code="rc", name="R")),
    "manufacturer": (
        Manufacturer, "name", "Race", lambda s, *_: create_manufacturer(s, by=None, name="Race")
    ),
    "model": (AssetModel, "part_number", "RX-1", _create_model),
}  # fmt: skip


def _references(session: Session, name: str) -> tuple[int, int]:
    """The committed rows the create refers to (site and model, or manufacturer and system)."""
    if name == "model":
        model = make_model(session)
        refs = (model.manufacturer_id, model.system_id)
    else:
        refs = (make_site(session).id, make_model(session).id)
    session.commit()
    return refs


def _commit_other_before_my_insert(session: Session, other: Session, model: type) -> list[bool]:
    """Let `other` commit its row after `session` has checked for it, just before `session`
    inserts its own (the race window); the list records that the window was hit."""
    hits: list[bool] = []

    def commit_other(flushing: Session, *_args: Any) -> None:
        if not hits and any(isinstance(obj, model) for obj in flushing.new):
            other.commit()
            hits.append(True)

    event.listen(session, "before_flush", commit_other)
    return hits


@pytest.mark.parametrize("name", sorted(CREATES))
def test_the_second_of_two_racing_creates_gets_a_field_error(session, other, name) -> None:
    model, field, value, create = CREATES[name]
    refs = _references(session, name)
    create(other, *refs)  # flushed, not committed: invisible to the first one's check
    hits = _commit_other_before_my_insert(session, other, model)

    with pytest.raises(Duplicate) as caught:
        create(session, *refs)
    session.rollback()

    assert hits == [True]
    assert caught.value.field == field
    column = getattr(model, field)
    assert session.scalar(select(func.count()).select_from(model).where(column == value)) == 1


@pytest.mark.parametrize("name", ["asset", "site"])
def test_racing_creates_on_postgresql_in_threads(app, session, name) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the waiting insert is observed in pg_stat_activity")
    _model, field, _value, create = CREATES[name]
    refs = _references(session, name)
    factory = app.extensions["rollout.sessions"]
    first = factory()
    create(first, *refs)  # holds its new row until it commits
    outcome: list[BaseException | str] = []

    def second_person() -> None:
        with factory() as second:
            try:
                create(second, *refs)  # its check passes; its insert waits for `first`
                second.commit()
                outcome.append("saved")
            except Exception as error:  # the outcome is asserted below
                outcome.append(error)

    thread = threading.Thread(target=second_person)
    thread.start()
    _wait_until_an_insert_waits_for_a_lock(session)
    first.commit()
    first.close()
    thread.join()

    assert len(outcome) == 1 and isinstance(outcome[0], Duplicate), outcome
    assert outcome[0].field == field


def _wait_until_an_insert_waits_for_a_lock(session: Session) -> None:
    """Block until another backend of this database is waiting on a lock (the second insert)."""
    query = text(
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and wait_event_type = 'Lock' and query ilike 'insert%'"
    )
    for _attempt in range(3000):
        session.rollback()  # a fresh snapshot of pg_stat_activity
        if session.scalar(query):
            return
        time.sleep(0.02)
    pytest.fail("the second insert never waited for the first one's row")


def test_a_create_rolled_back_leaves_nothing(session) -> None:
    """The SAVEPOINT a create uses never commits on its own (SQLite's driver would let it)."""
    create_site(session, by=None, code="GONE1", name="Rolled back", region="New Region")
    session.rollback()
    assert session.scalar(select(func.count(Site.id))) == 0
    assert session.scalar(select(func.count(Region.id))) == 0
