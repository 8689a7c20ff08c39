"""The published plan as iCalendar (RFC 5545): one all-day event per project.

An event's UID comes from the project, never from the plan, so that when a new version is
published a subscribed calendar moves the event instead of adding a second one; its SEQUENCE
is how many versions of the scenario had been published by then, so the newer one wins. A
project dropped from the baseline (it was in an earlier published version of the scenario)
is sent once more as CANCELLED under the same UID, so calendars remove it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, has_app_context
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.models import Plan, Site, User
from inventory.queries.published import (
    PublishedProject,
    district_baselines,
    published_projects,
    published_versions,
    site_places,
)
from inventory.queries.scope import sees_every_site

PRODID = "-//Rollout//School district upgrade plan//EN"
REFRESH = dt.timedelta(hours=6)  # how often calendar apps are asked to poll the feed
DISTRICT_NAME = "District upgrade plan"


@dataclass(frozen=True)
class FeedEvent:
    """A project as one event: where it stands in the plan, or, cancelled, where it stood in
    the last version that had it (`plan` is then the version that dropped it)."""

    project: PublishedProject
    plan: Plan
    sequence: int
    cancelled: bool = False


def uid_domain() -> str:
    """The install's constant part of every UID: CALENDAR_UID_DOMAIN, else the server's name
    (without its port), else "rollout"."""
    if not has_app_context():
        return "rollout"
    config = current_app.config
    name = config.get("CALENDAR_UID_DOMAIN") or (config.get("SERVER_NAME") or "").split(":")[0]
    return name or "rollout"


def plan_calendar(session: Session, plan: Plan, *, domain: str | None = None) -> bytes:
    """One plan, all its projects (and the projects earlier published versions had that it
    dropped, as cancelled), for `flask sep export FILE.ics`."""
    name = f"{plan.scenario.name} version {plan.version}"
    events = plan_events(session, plan, site_ids=None)
    return _calendar(session, name, events, with_site=True, domain=domain)


def feed_calendar(session: Session, user: User, *, domain: str | None = None) -> bytes:
    """A user's feed: every district baseline, limited to the user's sites (as they are now)
    unless the user sees the whole district."""
    sites = None if sees_every_site(user) else list(user.sites)
    site_ids = None if sites is None else [site.id for site in sites]
    events = []
    for plan in district_baselines(session):
        events += plan_events(session, plan, site_ids=site_ids)
    with_site = sites is None or len(sites) != 1
    return _calendar(session, feed_name(sites), events, with_site=with_site, domain=domain)


def feed_name(sites: list[Site] | None) -> str:
    """The calendar's name: "<site> upgrades", or the district's plan (None: every site)."""
    if sites is None:
        return DISTRICT_NAME
    if len(sites) == 1:
        return f"{sites[0].name} upgrades"
    if len(sites) == 2:
        return f"{sites[0].name} and {sites[1].name} upgrades"
    return f"Upgrades at your {len(sites)} sites"


def plan_events(session: Session, plan: Plan, *, site_ids: list[int] | None) -> list[FeedEvent]:
    """The plan's projects (at these sites), then those earlier published versions of its
    scenario had and it dropped, as cancelled."""
    earlier = _published_before(session, plan)
    sequence = len(earlier) + 1
    events = [FeedEvent(p, plan, sequence) for p in published_projects(session, plan, site_ids)]
    seen = {event.project.project_id for event in events}
    for version in earlier:  # newest first: a dropped project keeps its last known dates
        for project in published_projects(session, version, site_ids):
            if project.project_id not in seen:
                seen.add(project.project_id)
                events.append(FeedEvent(project, plan, sequence, cancelled=True))
    return events


def _published_before(session: Session, plan: Plan) -> list[Plan]:
    """The scenario's versions published before this plan, newest first (all of them for a
    plan not published)."""
    versions = published_versions(session, plan.scenario_id)
    ids = [version.id for version in versions]
    if plan.id in ids:
        return versions[ids.index(plan.id) + 1 :]
    return versions


def _calendar(
    session: Session, name: str, events: list[FeedEvent], *, with_site: bool, domain: str | None
) -> bytes:
    """The VCALENDAR around the events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", "School technology upgrades from the published plan.")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    places = site_places(session, {event.project.site_id for event in events})
    stamp = utcnow().replace(microsecond=0)
    for item in events:
        calendar.add_component(
            _event(item, place=places.get(item.project.site_id), with_site=with_site,
                   domain=domain or uid_domain(), stamp=stamp)
        )  # fmt: skip
    return calendar.to_ical()


def _event(
    item: FeedEvent, *, place: str | None, with_site: bool, domain: str, stamp: dt.datetime
) -> Event:
    """One all-day event from the first day of the project's first month to the day after the
    last day of its last month (DTEND is exclusive)."""
    project, plan = item.project, item.plan
    summary = project.upgrade_name
    if with_site:
        summary = f"{summary} at {project.site_name}"
    if item.cancelled:
        summary = f"Cancelled: {summary}"
    event = Event()
    event.add("uid", f"project-{project.project_id}@{domain}")
    event.add("dtstamp", stamp)
    event.add("last-modified", _utc(plan.published_at or plan.created_at))
    event.add("sequence", item.sequence)
    event.add("dtstart", project.starts_on)
    event.add("dtend", project.ends_on + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("location", place or project.site_name)
    event.add("description", describe(item))
    event.add("categories", [project.system_name])
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # months of work do not make anyone busy
    return event


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes; they are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def describe(item: FeedEvent) -> str:
    """The event's description in plain words: what, where, when, how disruptive, and whom to
    ask."""
    project, plan = item.project, item.plan
    lines = []
    if item.cancelled:
        lines.append("Cancelled: this project is no longer in the published plan.")
    lines.append(f"{project.upgrade_name} ({project.system_name}) at {project.site_name}.")
    if project.upgrade_description:
        lines.append(project.upgrade_description)
    if project.scope:
        lines.append(f"Scope: {project.scope}")
    if project.need_summary:
        lines.append(f"What is replaced: {project.need_summary}")
    elif project.assets_replaced:
        lines.append(f"What is replaced: {project.assets_replaced} pieces of equipment.")
    lines.append(f"When: {_months(project)}.")
    lines.append(_disruption(project))
    lines.append(_manager(project))
    published = _utc(plan.published_at).strftime("%d %b %Y") if plan.published_at else None
    source = f"{plan.scenario.name}, version {plan.version}"
    lines.append(f"From {source}, published {published}." if published else f"From {source}.")
    return "\n".join(lines)


def _months(project: PublishedProject) -> str:
    """'Jul 2027' or 'Jul 2027 to Sep 2027 (3 months)'."""
    first, last = project.starts_on.strftime("%b %Y"), project.ends_on.strftime("%b %Y")
    if project.duration_months <= 1:
        return first
    return f"{first} to {last} ({project.duration_months} months)"


def _disruption(project: PublishedProject) -> str:
    """Whether the work disturbs the school, and in which break it is planned."""
    if not project.is_disruptive:
        return "Not disruptive: the school can carry on as usual."
    if project.window_name:
        return f"Disruptive: planned during {project.window_name}."
    return "Disruptive: expect rooms or services to be unavailable while it is under way."


def _manager(project: PublishedProject) -> str:
    """Who is accountable, and how to reach them."""
    if not project.manager_name:
        return "Project manager: not named yet."
    contact = ", ".join(part for part in (project.manager_email, project.manager_phone) if part)
    return f"Project manager: {project.manager_name}" + (f" ({contact})." if contact else ".")
