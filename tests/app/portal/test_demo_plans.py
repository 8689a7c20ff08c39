"""`flask demo load`'s published plans: the year under way published twice, the principal's
school with something that changed since their last visit, next year's draft untouched."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.planning.demo_plans import current_fiscal_year, load_published_demo
from inventory.demo import DemoOptions, load_demo
from inventory.enums import ScenarioStatus
from inventory.models import Plan, PortalVisit, Project, Scenario, User
from inventory.queries.portal import site_portal
from inventory.queries.published import district_baselines
from tests.factories import PASSWORD


def test_the_demo_publishes_the_year_under_way_twice(app, session) -> None:
    load_demo(session, DemoOptions(sites=12, seed=5, password=PASSWORD))
    session.commit()
    today = dt.date.today()
    result = load_published_demo(app.extensions["rollout.sessions"], today=today, start_month=7)
    assert result is not None
    session.expire_all()
    draft, current = session.scalars(select(Scenario).order_by(Scenario.id)).all()
    assert draft.status is ScenarioStatus.DRAFT and not draft.plans and not draft.projects
    assert current.first_year == current_fiscal_year(today, 7)
    versions = session.scalars(select(Plan).where(Plan.scenario_id == current.id)
                               .order_by(Plan.version)).all()  # fmt: skip
    assert [plan.version for plan in versions] == [1, 2]
    assert all(plan.published_at is not None for plan in versions)
    assert [plan.id for plan in district_baselines(session)] == [versions[1].id]
    managed = session.scalars(select(Project).where(Project.manager_id.is_not(None))).all()
    assert managed and all(project.manager.phone for project in managed)
    principal = session.scalar(select(User).where(User.username == "principal"))
    visit = session.get(PortalVisit, (principal.id, principal.sites[0].id))
    assert visit is not None
    portal = site_portal(session, principal.sites[0], today=today, last_visit=visit.visited_at)
    assert all(change.is_new for change in portal.changes)
