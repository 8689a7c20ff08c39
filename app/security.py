"""Security for every request: CSRF, security headers, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, request
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFProtect

from inventory.enums import Role

csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Production only (the HSTS setting): browsers then refuse plain HTTP to this host for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

# The role sets, defined here once. Every signed-in user reads the inventory of the sites they
# see; infrastructure staff and administrators change it. District-wide readers (everyone but
# site administrators) also see the catalogue and regions. Planners and administrators change
# scenarios and plans; the PMO viewer and infrastructure staff read them.
EVERYONE = tuple(Role)
INVENTORY_EDITORS = (Role.ADMIN, Role.STAFF)
DISTRICT_READERS = (Role.ADMIN, Role.STAFF, Role.PLANNER, Role.PMO)
PLAN_EDITORS = (Role.ADMIN, Role.PLANNER)
PLAN_READERS = (Role.ADMIN, Role.PLANNER, Role.PMO, Role.STAFF)


def init_app(app: Flask) -> None:
    """Turn on CSRF protection for every form and add security headers to every response."""
    app.before_request(_refuse_nul_characters)
    csrf.init_app(app)
    app.after_request(_add_security_headers)


def _refuse_nul_characters() -> None:
    """A NUL character is never part of real text, and PostgreSQL cannot store one: a query
    string or form carrying it gets a 400 page rather than a database error."""
    values = [*request.args.values()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += request.form.values()
    if any("\x00" in value for value in values):
        abort(400)


def _add_security_headers(response: Response) -> Response:
    """Headers that stop framing, sniffing and injected scripts; HTTPS only in production;
    and no copy of any page, export or JSON kept by the browser or a proxy (only the static
    files, the same for everyone, may be cached)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if not _is_static_file():
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_static_file() -> bool:
    """Whether the request is for a static file (the app's or a package's, e.g. Bootstrap)."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def role_required(*roles: Role) -> Callable[[F], F]:
    """Let only signed-in users with one of these roles through; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
