"""The change log writes who, when, what, before and after, in the same transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from inventory.changelog import REDACTED, ChangeLogEntry, history_query, set_actor
from inventory.enums import Role, SiteKind
from inventory.models import Site
from inventory.operations.users import set_password
from tests.factories import make_site, make_user


def _history(session, obj):
    return session.scalars(history_query(obj.__tablename__, obj.id)).all()


def test_create_update_delete_are_recorded_with_before_and_after(session) -> None:
    admin = make_user(session, Role.ADMIN)
    session.commit()
    set_actor(session, admin)
    site = make_site(session, name="Lincoln Elementary", enrollment=400)
    session.commit()
    site.enrollment = 450
    site.kind = SiteKind.K12
    session.commit()
    site_id = site.id
    session.delete(site)
    session.commit()

    entries = session.scalars(history_query("sites", site_id)).all()
    assert [entry.action for entry in entries] == ["delete", "update", "create"]
    deleted, updated, created = entries
    assert created.changes["name"] == [None, "Lincoln Elementary"]
    assert created.actor_name == admin.username
    assert created.actor_id == admin.id
    assert updated.changes == {"enrollment": [400, 450], "kind": ["elementary", "k12"]}
    assert deleted.changes["enrollment"] == [450, None]
    assert deleted.object_label.endswith("Lincoln Elementary")


def test_a_rolled_back_change_leaves_no_entry(session) -> None:
    site = make_site(session)
    session.commit()
    before = session.scalar(select(func.count(ChangeLogEntry.id)))
    site.name = "Renamed"
    session.flush()
    session.rollback()
    assert session.scalar(select(func.count(ChangeLogEntry.id))) == before
    assert session.get(Site, site.id).name != "Renamed"


def test_an_unchanged_assignment_writes_nothing(session) -> None:
    site = make_site(session, name="Same")
    session.commit()
    count = len(_history(session, site))
    site.name = "Same"
    session.commit()
    assert len(_history(session, site)) == count


def test_secrets_are_recorded_only_as_changed(session) -> None:
    admin = make_user(session, Role.ADMIN)
    user = make_user(session, Role.STAFF)
    session.commit()
    set_password(session, user, by=admin, password="another long password")
    session.commit()
    latest = _history(session, user)[0]
    assert latest.changes["password_hash"] == [REDACTED, REDACTED]
    assert latest.actor_name == admin.username
    created = _history(session, user)[-1]
    assert created.changes["password_hash"] == [None, REDACTED]


def test_collections_are_recorded_as_labels(session) -> None:
    site_a, site_b = make_site(session, code="AAA1"), make_site(session, code="BBB2")
    user = make_user(session, Role.SITE_ADMIN, sites=[site_a])
    session.commit()
    user.sites = [site_a, site_b]
    session.commit()
    latest = _history(session, user)[0]
    assert latest.changes["sites"] == [[site_a.audit_label()], sorted([
        site_a.audit_label(), site_b.audit_label()])]  # fmt: skip
