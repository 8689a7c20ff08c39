"""What a site's page of the published plan changes: a site administrator asks the planners for
other blackout months, a planner answers, and each visit is remembered (so the page can say what
is new since the last one)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventory.base import utcnow
from inventory.changelog import set_actor
from inventory.database import begin_before_savepoint
from inventory.errors import InvalidValue, WrongState
from inventory.models import BlackoutRequest, PortalVisit, Site, User
from inventory.operations.scenario_fields import text

MONTH_KEY = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ANSWERS = ("done", "declined")
MAX_MONTHS = 24


def _months(months: Iterable[str]) -> list[str]:
    """Distinct "YYYY-MM" months, sorted; anything else is refused."""
    cleaned = sorted({str(month).strip() for month in months})
    for month in cleaned:
        if not MONTH_KEY.match(month):
            raise InvalidValue(f"{month[:20]!r} is not a month.", field="months")
    if len(cleaned) > MAX_MONTHS:
        raise InvalidValue(f"Choose at most {MAX_MONTHS} months.", field="months")
    return cleaned


def request_blackouts(
    session: Session,
    site: Site,
    *,
    by: User | None,
    months: Iterable[str],
    note: str | None,
    on_record: Collection[str] = (),
) -> BlackoutRequest:
    """Ask the planners to make `months` ("YYYY-MM") the site's blackout months (the months on
    record now are `on_record`); a request that changes nothing and says nothing is refused."""
    wanted = _months(months)
    cleaned = text(note, field="note", label="Note", max_length=2000) or ""
    if wanted == sorted(set(on_record)) and not cleaned:
        raise InvalidValue(
            "Tick or untick a month, or write a note, to ask for a change.", field="months"
        )
    set_actor(session, by)
    request = BlackoutRequest(
        site=site,
        months=wanted,
        note=cleaned,
        requested_by_id=by.id if by is not None else None,
        requested_at=utcnow(),
        status="open",
    )
    session.add(request)
    session.flush()
    return request


def answer_request(
    session: Session,
    request: BlackoutRequest,
    *,
    by: User | None,
    status: str,
    answer: str | None,
) -> BlackoutRequest:
    """Mark an open request done or declined, with an answer for the site (required when
    declining)."""
    if status not in ANSWERS:
        raise InvalidValue("Choose done or declined.", field="status")
    if request.status != "open":
        raise WrongState("This request was answered already.")
    cleaned = text(
        answer, field="answer", label="Answer", max_length=2000, need=status == "declined"
    )
    set_actor(session, by)
    request.status = status
    request.answer = cleaned
    request.answered_by_id = by.id if by is not None else None
    request.answered_at = utcnow()
    session.flush()
    return request


def record_visit(
    session: Session, user: User, site: Site, *, plan_id: int | None, now: dt.datetime | None = None
) -> dt.datetime | None:
    """Remember that the user opened the site's page now (seeing `plan_id`); returns when they
    had opened it before (None: the first time)."""
    visit = session.get(PortalVisit, (user.id, site.id))
    moment = now or utcnow()
    if visit is None:
        begin_before_savepoint(session)
        try:
            with session.begin_nested():  # two tabs opening the page at once: one row wins
                session.add(PortalVisit(user_id=user.id, site_id=site.id, visited_at=moment,
                                        plan_id=plan_id))  # fmt: skip
        except IntegrityError:
            pass
        return None
    previous = visit.visited_at
    visit.visited_at = moment
    visit.plan_id = plan_id
    session.flush()
    return previous
