"""How the authorization matrix states an outcome: Expect and its shorthands.

An entry says, for anonymous visitors and each role, one of:
  "allow"  the page works (2xx, or a redirect that is not to the sign-in page, or 400 on bad input)
  "login"  redirected to the sign-in page
  "deny"   403
  "hidden" 404 (the object is outside the user's scope)
and, for routes with arguments, how to build them from the `world` of test data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inventory.enums import Role

ANONYMOUS = None
ROLES: tuple[Role | None, ...] = (ANONYMOUS, *Role)


@dataclass(frozen=True)
class Expect:
    """Outcomes by role, the HTTP method to try, and how to fill the URL's arguments."""

    outcomes: dict[Role | None, str]
    method: str = "GET"
    args: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    data: dict[str, Any] = field(default_factory=dict)


def everyone(**options: Any) -> Expect:
    """Open to anonymous visitors too."""
    return Expect({role: "allow" for role in ROLES}, **options)


def signed_in(**options: Any) -> Expect:
    """Any signed-in user."""
    outcomes = {role: "allow" for role in Role}
    return Expect({ANONYMOUS: "login", **outcomes}, **options)


def only(*roles: Role, otherwise: str = "deny", **options: Any) -> Expect:
    """Only these roles; other signed-in users get `otherwise`."""
    outcomes = {role: ("allow" if role in roles else otherwise) for role in Role}
    return Expect({ANONYMOUS: "login", **outcomes}, **options)


def custom(outcomes: dict[Role | None, str], **options: Any) -> Expect:
    """Spelled out role by role."""
    return Expect(outcomes, **options)


STAFF_AND_ADMIN = (Role.ADMIN, Role.STAFF)
READERS = (Role.ADMIN, Role.STAFF, Role.PLANNER, Role.PMO)
HIDDEN_FROM_EDITORS = {Role.ADMIN: "hidden", Role.STAFF: "hidden"}
# Planning: planners and administrators change scenarios and plans; the PMO viewer and
# infrastructure staff read them; site administrators get 403 everywhere.
PLANNING_EDITORS = (Role.ADMIN, Role.PLANNER)
PLANNING_READERS = (Role.ADMIN, Role.PLANNER, Role.PMO, Role.STAFF)
