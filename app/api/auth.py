"""Who is calling the REST API: a personal token in `Authorization: Bearer <token>`.

The API takes tokens only, never the browser's session cookie: a page cannot be tricked into
calling it with a user's cookie (so the API needs no CSRF token), and a script's rights are
exactly its token's user's role and sites. Refusals are RFC 9457 problem details.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from app.db import get_session
from inventory.enums import Role
from inventory.models import User
from inventory.operations.api_tokens import user_for_token

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_TYPE = "application/problem+json"


class ApiProblem(HTTPException):
    """An API refusal carried as an exception, rendered as problem details."""

    def __init__(self, status: int, title: str, detail: str | None = None, **extra: Any) -> None:
        super().__init__(description=detail or title)
        self.code = status
        self.title = title
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    def get_response(self, environ: object = None, scope: object = None) -> Any:
        """The problem as application/problem+json."""
        return problem_response(self.code, self.title, self.detail, self.headers, **self.extra)


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ResponseReturnValue:
    """An RFC 9457 problem details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_user() -> User:
    """The user the request's token acts for (cached on `g`), or a 401 problem."""
    if getattr(g, "api_user", None) is not None:
        return g.api_user
    token = bearer_token()
    user = None
    if token is not None:
        session = get_session()
        user = user_for_token(session, token)
        session.commit()  # the token's last use, in its own short transaction
    if user is None:
        problem = ApiProblem(
            401,
            "Unauthorized",
            "Send a live personal API token: 'Authorization: Bearer <token>'. Make one on "
            "your account page.",
        )
        problem.headers["WWW-Authenticate"] = 'Bearer realm="rollout"'
        raise problem
    g.api_user = user
    return user


def api_roles(*roles: Role) -> Callable[[F], F]:
    """Let only these roles call the endpoint (401 without a live token, 403 for other
    roles)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = api_user()
            if user.role not in roles:
                raise ApiProblem(403, "Forbidden", f"A {user.role.label} cannot do this.")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
