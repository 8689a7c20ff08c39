"""The demo's published plans: the school year under way, planned and published before it
began, then re-planned after a delivery delay and published again, so that right after
`make run` the SEP, the calendar feeds and each school's page ("what changed") have something
to show.

Only `flask demo load` does this (tests that call `load_demo` stay quick): it copies the demo's
planning inputs into a scenario for the current fiscal year, generates its needs, plans it with
the optimiser (a short time limit), approves and publishes version 1 (dated before the year
began), pins the work already started and delays a few deliveries (one at the demo
principal's school), re-plans close to version 1 and publishes version 2. The draft scenario
for next year is left as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.planning.pins import check_pin
from app.planning.solving import RunSettings, run_plan
from inventory.base import utcnow
from inventory.enums import ProjectPhase
from inventory.errors import DomainError
from inventory.models import Plan, PlanAssignment, PortalVisit, Project, Scenario, User
from inventory.needs import create_needs
from inventory.operations.plans import publish_plan
from inventory.operations.projects import pin_project, restore_project, withdraw_project
from inventory.operations.scenario_copies import copy_scenario
from inventory.operations.scenario_inputs import touch_inputs
from inventory.operations.scenario_review import approve_scenario, return_to_draft, submit_scenario

TIME_LIMIT_S = 5
DELAYS = 3  # deliveries late by a month or two, besides the principal's
MOVE_PENALTY = 100  # the re-plan keeps the rest where it was (a project's value is about 90)
PHONES = {"planner": "(555) 010-2040", "pmo": "(555) 010-2041"}


@dataclass(frozen=True)
class PublishedDemo:
    """What was published, for the demo's summary."""

    scenario: str
    scheduled: int
    moved: int

    def describe(self) -> str:
        """One line for the command's output."""
        return (
            f"Published {self.scenario}: version 1, then version 2 after a delivery delay "
            f"({self.scheduled:,} projects, {self.moved} moved)."
        )


def current_fiscal_year(today: dt.date, start_month: int) -> int:
    """The fiscal year under way (named by the year it ends in)."""
    return today.year + 1 if start_month > 1 and today.month >= start_month else today.year


def month_index(scenario: Scenario, today: dt.date) -> int:
    """The scenario's number of today's month."""
    first = scenario.first_month_on
    return (today.year - first.year) * 12 + today.month - first.month


def load_published_demo(
    sessions: sessionmaker[Session], *, today: dt.date, start_month: int
) -> PublishedDemo | None:
    """Publish the year under way twice (see the module's docstring); None when the demo has
    no planning scenario to copy."""
    with sessions() as session:
        source = session.scalar(select(Scenario).order_by(Scenario.id).limit(1))
        planner = session.scalar(select(User).where(User.username == "planner"))
        if source is None or planner is None:
            return None
        scenario = _copy_for_this_year(session, source, planner, today, start_month)
        session.commit()
        scenario_id, planner_id = scenario.id, planner.id
    first = _plan(sessions, scenario_id, planner_id, based_on=None)
    with sessions() as session:
        v1 = _publish(session, first, planner_id, when=_before_the_year(session, scenario_id))
        _replan_inputs(session, scenario_id, planner_id, v1, today)
        session.commit()
    second = _plan(sessions, scenario_id, planner_id, based_on=first)
    with sessions() as session:
        v2 = _publish(session, second, planner_id, when=utcnow())
        _managers_and_phases(session, v2, today)
        _principal_visit(session, v1, v2)
        moved = _moved(session, v1, v2)
        result = PublishedDemo(v2.scenario.name, v2.projects_scheduled, moved)
        session.commit()
    return result


def _copy_for_this_year(
    session: Session, source: Scenario, planner: User, today: dt.date, start_month: int
) -> Scenario:
    """The demo's inputs for the fiscal year under way, with its needs generated."""
    year = current_fiscal_year(today, start_month)
    name = f"FY{year} Strategic Execution Plan"
    scenario = copy_scenario(session, source, by=planner, name=name)
    scenario.first_year = year
    scenario.description = (
        "The school year under way: published before it began, re-planned in "
        f"{today:%B} after a switch delivery was delayed."
    )
    session.flush()
    create_needs(session, scenario, by=planner, today=today)
    return scenario


def _plan(
    sessions: sessionmaker[Session], scenario_id: int, by_id: int, *, based_on: int | None
) -> int:
    """Submit, approve and plan the scenario; the new plan's id."""
    with sessions() as session:
        scenario = session.get(Scenario, scenario_id)
        by = session.get(User, by_id)
        submit_scenario(session, scenario, by=by, checks=lambda *_: [])
        approve_scenario(session, scenario, by=by, note="Demo: approved by the planner.")
        penalty = scenario.move_penalty
        session.commit()
    settings = RunSettings(scenario_id, TIME_LIMIT_S, based_on_plan_id=based_on,
                           move_penalty=max(penalty, MOVE_PENALTY) if based_on else 0)  # fmt: skip
    outcome = run_plan(sessions, settings, by_id=by_id, report=lambda _progress: False)
    if outcome.plan_id is None:
        raise DomainError(f"The demo's plan could not be made: {outcome.message}")
    return outcome.plan_id


def _publish(session: Session, plan_id: int, by_id: int, *, when: dt.datetime) -> Plan:
    """Publish the plan, dated `when`."""
    plan = session.get(Plan, plan_id)
    publish_plan(session, plan, by=session.get(User, by_id), note="Demo publication.")
    plan.published_at = when
    session.flush()
    return plan


def _before_the_year(session: Session, scenario_id: int) -> dt.datetime:
    """Three weeks before the scenario's first month, at noon UTC."""
    first = session.get(Scenario, scenario_id).first_month_on - dt.timedelta(days=21)
    return dt.datetime(first.year, first.month, first.day, 12, tzinfo=dt.UTC)


def _replan_inputs(session: Session, scenario_id: int, by_id: int, v1: Plan, today: dt.date):
    """Back to draft; every project pinned where version 1 has it, except a few late
    deliveries (one at the principal's school, when the rules allow) and a project version 1
    left out that is added there; nothing new starts in a month gone by."""
    scenario, by = session.get(Scenario, scenario_id), session.get(User, by_id)
    return_to_draft(session, scenario, by=by, reason="Switch deliveries are two months late.")
    now = max(month_index(scenario, today), 0)
    rows = dict(session.execute(select(PlanAssignment.project_id, PlanAssignment.start_month)
                                .where(PlanAssignment.plan_id == v1.id)).all())  # fmt: skip
    projects = session.scalars(select(Project).where(Project.scenario_id == scenario_id)).all()
    for project in projects:
        start = rows.get(project.id)
        if start is not None:
            project.pinned_month = start  # as published
        elif project.latest_month is not None and project.latest_month < now:
            withdraw_project(session, project, by=by)  # its time is gone
        elif not project.is_withdrawn:
            project.earliest_month = max(project.earliest_month or 0, now)
    touch_inputs(scenario)
    session.flush()
    own, elsewhere, added = _to_change(session, scenario_id, rows, now)
    later = range(now + 1, scenario.months)
    changed_there = False
    for group, wanted in ((own, 1), (elsewhere, DELAYS)):
        for project in group:  # late if the rules allow, else to the nearest month they do
            start = rows[project.id]
            months = sorted(
                (m for m in later if m != start), key=lambda m: (abs(m - start - 2), -m)
            )
            wanted -= _trade_places(session, project, months, by)
            if not wanted:
                changed_there = changed_there or group is own
                break
    for project in added:  # a failed switch at the principal's school takes the place of one
        changed_there |= _swap_in(session, project, rows, now, by)  # elsewhere's (withdrawn)
    if not changed_there and own:  # the rules allowed neither: the school's last one is off
        withdraw_project(session, own[-1], by=by)


def _trade_places(session: Session, project: Project, months: list[int], by: User) -> bool:
    """Move the project to the first of the months where a project needing the same crews at
    another school can take its place (the crews go there first instead); False if none."""
    start = project.pinned_month
    for month in months:
        for other in _same_crews(session, project, month):
            pin_project(session, other, by=by, month=None)
            if not check_pin(session, project, month):
                pin_project(session, project, by=by, month=month)
                if start is not None and not check_pin(session, other, start):
                    pin_project(session, other, by=by, month=start)
                return True
            pin_project(session, other, by=by, month=month)
    return False


def _same_crews(session: Session, project: Project, month: int) -> list[Project]:
    """Up to three projects pinned in the month at other schools that need the same trades'
    crews and cost as much or more (so the crews and the month's spending cap have room)."""
    trades = {need.trade_id for need in project.upgrade_type.crew_needs}
    pinned = session.scalars(
        select(Project).where(Project.scenario_id == project.scenario_id,
                              Project.site_id != project.site_id, Project.pinned_month == month,
                              Project.cost_cents >= project.cost_cents)
        .order_by(Project.cost_cents.desc(), Project.id)
    ).all()  # fmt: skip
    return [
        other
        for other in pinned
        if {need.trade_id for need in other.upgrade_type.crew_needs} == trades
        and other.duration_months >= project.duration_months
        and not other.upgrade_type.is_disruptive
    ][:3]


def _swap_in(session: Session, project: Project, rows: dict[int, int], now: int, by: User) -> bool:
    """Withdraw a future project of the same upgrade elsewhere and pin `project` to its month
    (or a month near it the rules allow); False, and nothing changes, when none is."""
    others = session.scalars(
        select(Project).where(Project.scenario_id == project.scenario_id,
                              Project.upgrade_type_id == project.upgrade_type_id,
                              Project.site_id != project.site_id,
                              Project.id.in_([key for key, m in rows.items() if m > now]))
        .order_by(Project.cost_cents.desc(), Project.id)
    ).all()  # fmt: skip
    for other in others[:3]:
        start = rows[other.id]
        withdraw_project(session, other, by=by)
        months = sorted(range(now + 1, project.scenario.months), key=lambda m: (abs(m - start), m))
        if _pin_first_allowed(session, project, months[:3], by):
            return True
        restore_project(session, other, by=by)
        pin_project(session, other, by=by, month=start)
    return False


def _pin_first_allowed(session: Session, project: Project, months: list[int], by: User) -> bool:
    """Pin the project to the first of the months the scenario's rules allow; False (and it
    stays where it was) when none is."""
    for month in months:
        if month < project.scenario.months and not check_pin(session, project, month):
            pin_project(session, project, by=by, month=month)
            return True
    return False


def _to_change(
    session: Session, scenario_id: int, rows: dict[int, int], now: int
) -> tuple[list[Project], list[Project], list[Project]]:
    """Candidates to delay at the principal's school and elsewhere, and a project version 1
    left out to add at the principal's school (a switch that failed)."""
    principal = session.scalar(select(User).where(User.username == "principal"))
    own = {site.id for site in principal.sites} if principal is not None else set()
    projects = session.scalars(
        select(Project).where(Project.scenario_id == scenario_id).order_by(Project.id)
    ).all()
    movable = [p for p in projects if not p.upgrade_type.is_disruptive and not p.is_withdrawn]
    future = sorted((p for p in movable if rows.get(p.id, -1) >= now),
                    key=lambda p: (rows[p.id], p.id))  # fmt: skip
    left_out = [p for p in movable if p.site_id in own and p.id not in rows]
    left_out.sort(key=lambda p: (p.upgrade_type.system_id, p.id))
    return ([p for p in future if p.site_id in own],
            [p for p in future if p.site_id not in own and rows[p.id] > now][::5],
            left_out[:1])  # fmt: skip


def _managers_and_phases(session: Session, plan: Plan, today: dt.date) -> None:
    """Accountable managers (the demo's planner and PMO, with phone numbers) and phases that
    follow the calendar: done, under way, being planned, scheduled."""
    managers = list(session.scalars(select(User).where(User.username.in_(PHONES))))
    for user in managers:
        user.phone = PHONES[user.username]
        user.email = user.email or f"{user.username}@district.example"
    managers.sort(key=lambda user: user.username)
    scenario = plan.scenario
    rows = session.execute(
        select(Project, PlanAssignment.start_month)
        .join(PlanAssignment, PlanAssignment.project_id == Project.id)
        .where(PlanAssignment.plan_id == plan.id)
        .order_by(PlanAssignment.start_month, Project.id)
    ).all()
    for number, (project, start) in enumerate(rows):
        first = scenario.month_on(start)
        last = scenario.month_on(start + project.duration_months)  # the month after
        if last <= today:
            project.phase, project.actual_start_on = ProjectPhase.CLOSED, first
            project.actual_finish_on = last - dt.timedelta(days=3)
        elif first <= today:
            project.phase, project.actual_start_on = ProjectPhase.EXECUTING, first
        elif (first - today).days < 62:
            project.phase = ProjectPhase.PLANNING
        if managers and ((first - today).days < 120 or number % 4):
            project.manager_id = managers[number % len(managers)].id
    session.flush()


def _principal_visit(session: Session, v1: Plan, v2: Plan) -> None:
    """The demo principal last looked at their school's page between the two publications."""
    principal = session.scalar(select(User).where(User.username == "principal"))
    if principal is None or not principal.sites or v1.published_at is None:
        return
    middle = v1.published_at + (v2.published_at - v1.published_at) / 2
    for site in principal.sites:
        session.merge(
            PortalVisit(user_id=principal.id, site_id=site.id, visited_at=middle, plan_id=v1.id)
        )
    session.flush()


def _moved(session: Session, v1: Plan, v2: Plan) -> int:
    """How many projects start in another month in version 2."""
    old = dict(session.execute(select(PlanAssignment.project_id, PlanAssignment.start_month)
                               .where(PlanAssignment.plan_id == v1.id)).all())  # fmt: skip
    new = session.execute(select(PlanAssignment.project_id, PlanAssignment.start_month)
                          .where(PlanAssignment.plan_id == v2.id)).all()  # fmt: skip
    return sum(1 for project_id, start in new if project_id in old and old[project_id] != start)
