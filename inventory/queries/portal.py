"""A site's page of the published plan ("My site"): what is coming, what was done, its
blackout months, what changed since the previous publication, and its blackout requests.

Everything is read from published plans only (inventory.queries.published): drafts never reach
a site administrator. The lists are a site's: a few dozen rows, so matching versions is done
here in Python from two small site-restricted reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inventory.models import BlackoutRequest, Plan, PortalVisit, ScenarioSite, Site, User
from inventory.queries.published import (
    PublishedProject,
    district_baselines,
    previous_published,
    published_projects,
)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
REQUEST_STATUSES = {"open": "Waiting for an answer", "done": "Done", "declined": "Declined"}


def month_name(day: dt.date) -> str:
    """'March 2027'."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def day_name(moment: dt.date) -> str:
    """'5 December 2026' (a date, or the UTC date of a time)."""
    return f"{moment.day} {month_name(moment)}"


def months_in_words(first: dt.date, last: dt.date) -> str:
    """'March 2027', 'July to August 2027' or 'December 2026 to January 2027'."""
    if (first.year, first.month) == (last.year, last.month):
        return month_name(first)
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {month_name(last)}"
    return f"{month_name(first)} to {month_name(last)}"


def month_key(day: dt.date) -> str:
    """'2027-03' (how a blackout request names a month)."""
    return f"{day.year:04d}-{day.month:02d}"


def from_key(key: str) -> dt.date | None:
    """The first day of a 'YYYY-MM' month, or None when it is not one."""
    try:
        year, month = (int(part) for part in str(key).split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return None


def coming_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of this month and the next `count - 1`."""
    index = today.year * 12 + today.month - 1
    return [dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(count)]


def is_done(project: PublishedProject, today: dt.date) -> bool:
    """Finished: it has an actual finish, or all its months are over."""
    return project.actual_finish_on is not None or project.ends_on < today


@dataclass(frozen=True)
class BlackoutMonth:
    """A calendar month in which no work happens at the site, and why."""

    month: dt.date
    district_wide: bool
    site_rule: bool

    @property
    def label(self) -> str:
        """'May 2027'."""
        return month_name(self.month)


@dataclass(frozen=True)
class SiteChange:
    """A project that moved, was added or was dropped at the site in a newer publication."""

    kind: str  # moved, added, dropped
    project_id: int
    upgrade_name: str
    system_name: str
    old_when: str | None
    new_when: str | None
    published_at: dt.datetime
    is_new: bool  # published after the user's previous visit


@dataclass
class SitePortal:
    """Everything a site's page shows."""

    site: Site
    baselines: list[Plan]
    today: dt.date
    upcoming: list[PublishedProject] = field(default_factory=list)
    done: list[PublishedProject] = field(default_factory=list)
    blackouts: list[BlackoutMonth] = field(default_factory=list)
    changes: list[SiteChange] = field(default_factory=list)
    requests: list[BlackoutRequest] = field(default_factory=list)
    last_visit: dt.datetime | None = None

    @property
    def next_project(self) -> PublishedProject | None:
        """The first project still to come or under way."""
        return self.upcoming[0] if self.upcoming else None

    @property
    def new_changes(self) -> int:
        """How many changes were published since the user's previous visit."""
        return sum(change.is_new for change in self.changes)


def site_portal(
    session: Session,
    site: Site,
    *,
    today: dt.date,
    last_visit: dt.datetime | None = None,
) -> SitePortal:
    """A site's published projects (coming and done), blackout months from today on, what
    changed in each baseline against the version before it (flagged when published after
    `last_visit`), and the site's blackout requests, newest first."""
    baselines = district_baselines(session)
    portal = SitePortal(site=site, baselines=baselines, today=today, last_visit=last_visit)
    projects = [
        project for plan in baselines for project in published_projects(session, plan, [site.id])
    ]
    projects.sort(key=lambda project: (project.starts_on, project.upgrade_name))
    portal.done = [project for project in projects if is_done(project, today)]
    portal.upcoming = [project for project in projects if not is_done(project, today)]
    portal.blackouts = site_blackouts(session, site.id, baselines, since=today.replace(day=1))
    for plan in baselines:
        portal.changes.extend(site_changes(session, plan, site.id, last_visit))
    portal.requests = site_requests(session, site.id)
    return portal


def site_blackouts(
    session: Session, site_id: int, baselines: list[Plan], *, since: dt.date
) -> list[BlackoutMonth]:
    """The site's blackout months on record in the baselines' scenarios, from `since` on: the
    district-wide ones and the site's own."""
    district: set[dt.date] = set()
    own: set[dt.date] = set()
    for plan in baselines:
        scenario = plan.scenario
        district.update(scenario.month_on(int(m)) for m in scenario.blackout_months or ())
        rules = session.scalars(
            select(ScenarioSite.blackout_months).where(
                ScenarioSite.scenario_id == scenario.id, ScenarioSite.site_id == site_id
            )
        )
        own.update(scenario.month_on(int(m)) for months in rules for m in months or ())
    return [
        BlackoutMonth(month, month in district, month in own)
        for month in sorted(district | own)
        if month >= since
    ]


def site_changes(
    session: Session, plan: Plan, site_id: int, last_visit: dt.datetime | None
) -> list[SiteChange]:
    """The site's projects that moved, were added or were dropped in `plan` against the
    version published before it (nothing when it is the first)."""
    previous = previous_published(session, plan)
    if previous is None or plan.published_at is None:
        return []
    new = {p.project_id: p for p in published_projects(session, plan, [site_id])}
    old = {p.project_id: p for p in published_projects(session, previous, [site_id])}
    is_new = last_visit is not None and _aware(plan.published_at) > _aware(last_visit)

    def change(kind: str, was: PublishedProject | None, now: PublishedProject | None):
        shown = now or was
        assert shown is not None
        return SiteChange(
            kind=kind, project_id=shown.project_id, upgrade_name=shown.upgrade_name,
            system_name=shown.system_name, old_when=_when(was), new_when=_when(now),
            published_at=plan.published_at, is_new=is_new,
        )  # fmt: skip

    changes = [
        change("moved", old[key], project)
        for key, project in new.items()
        if key in old and old[key].start_month != project.start_month
    ]
    changes += [change("added", None, project) for key, project in new.items() if key not in old]
    changes += [change("dropped", project, None) for key, project in old.items() if key not in new]
    return changes


def _when(project: PublishedProject | None) -> str | None:
    """A project's months in words."""
    return None if project is None else months_in_words(project.starts_on, project.ends_on)


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored time as UTC-aware (SQLite returns it naive)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def site_requests(session: Session, site_id: int) -> list[BlackoutRequest]:
    """A site's blackout requests, newest first."""
    query = (
        select(BlackoutRequest)
        .where(BlackoutRequest.site_id == site_id)
        .order_by(BlackoutRequest.requested_at.desc(), BlackoutRequest.id.desc())
        .options(
            selectinload(BlackoutRequest.requested_by), selectinload(BlackoutRequest.answered_by)
        )
    )
    return list(session.scalars(query))


def blackout_requests(session: Session, *, status: str | None = None) -> list[BlackoutRequest]:
    """Every site's blackout requests (optionally of one status), open ones first, newest first."""
    query = select(BlackoutRequest).options(
        selectinload(BlackoutRequest.site),
        selectinload(BlackoutRequest.requested_by),
        selectinload(BlackoutRequest.answered_by),
    )
    if status:
        query = query.where(BlackoutRequest.status == status)
    query = query.order_by(
        (BlackoutRequest.status != "open"), BlackoutRequest.requested_at.desc(),
        BlackoutRequest.id.desc(),
    )  # fmt: skip
    return list(session.scalars(query))


@dataclass(frozen=True)
class RequestDifference:
    """What an open request would change in the site's blackout months on record now."""

    adds: list[dt.date]
    frees: list[dt.date]


def request_differences(
    session: Session, requests: list[BlackoutRequest], *, today: dt.date
) -> dict[int, RequestDifference]:
    """For each open request: the months it asks for that are not blackouts now, and the
    coming months on record it leaves out (within the twelve months the form offers from the
    month it was sent)."""
    baselines = district_baselines(session)
    on_record: dict[int, set[dt.date]] = {}
    found = {}
    for request in requests:
        if request.status != "open":
            continue
        if request.site_id not in on_record:
            months = site_blackouts(session, request.site_id, baselines, since=dt.date.min)
            on_record[request.site_id] = {month.month for month in months}
        asked = {day for day in (from_key(key) for key in request.months or []) if day}
        offered = set(coming_months(request.requested_at.date()))
        current = on_record[request.site_id] & offered
        found[request.id] = RequestDifference(sorted(asked - current), sorted(current - asked))
    return found


def last_visit(session: Session, user: User, site_id: int) -> PortalVisit | None:
    """When the user last opened the site's page (None: never)."""
    return session.get(PortalVisit, (user.id, site_id))


def user_sites(session: Session, user: User) -> list[Site]:
    """The sites a site administrator looks after, by code."""
    return sorted(user.sites, key=lambda site: site.code)
