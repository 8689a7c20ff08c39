"""Authorization entries of the portal pages (world.published holds their objects).

Every signed-in user opens a site's page: a site administrator only their own sites (another
site is a 404, tested in tests/app/portal/), district roles any site. Site administrators and
plan editors ask for blackout months; plan editors and the PMO viewer read the requests and
plan editors answer them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session

from inventory.enums import Role
from inventory.models import BlackoutRequest
from tests.app.authorization_rules import PLANNING_EDITORS, Expect, only, signed_in


def _own_site(world: Any) -> dict[str, Any]:
    """The site administrator's own site (which every district role may also open)."""
    return {"site_id": world.published["own_site"].id}


def _open_request(world: Any) -> dict[str, Any]:
    """A fresh open blackout request of the site administrator's site (each role answers its
    own, so an answered one does not hide the outcome)."""
    site = world.published["own_site"]
    session = object_session(site)
    assert session is not None
    request = BlackoutRequest(site_id=site.id, months=["2027-03"], note="Matrix", status="open")
    session.add(request)
    session.commit()
    return {"request_id": request.id}


REQUEST = {"months": ["2027-03"], "note": "Matrix"}
ANSWER = {"status": "declined", "answer": "Not this year."}
REQUEST = {"months": ["2027-03"], "note": "Matrix"}
ANSWER = {"status": "declined", "answer": "Not this year."}
TABLE: dict[str, Expect] = {
    "portal.index": signed_in(),
    "portal.site": signed_in(args=_own_site),
    "portal.site_pdf": signed_in(args=_own_site),
    "portal.request_blackout_months": only(
        Role.SITE_ADMIN, *PLANNING_EDITORS, method="POST", args=_own_site, data=REQUEST
    ),
    "portal.requests": only(*PLANNING_EDITORS, Role.PMO),
    "portal.answer_request": only(
        *PLANNING_EDITORS, method="POST", args=_open_request, data=ANSWER
    ),
}
