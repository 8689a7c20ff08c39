"""What every API resource shares: its blueprint, problem details for refusals and invalid
input, pages with their links, ETags and If-Match, and the write path (one operation, one
commit, the domain's refusals on their fields)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import request, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from app.api.auth import ApiProblem, problem_response
from app.api.schemas import ProblemSchema
from app.db import get_session
from app.errors import MESSAGES
from inventory.errors import DomainError, Duplicate, StaleEdit
from inventory.queries.paging import Page

T = TypeVar("T")
PREFIX = "/api/v1"
PROBLEM = "application/problem+json"
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag of the object as you read it: a save over a newer one is refused.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {"ETag": {"description": "The object's version.", "schema": {"type": "string"}}}


def blueprint(name: str, path: str, description: str) -> Blueprint:
    """A resource's blueprint under /api/v1, answering every error as problem details."""
    bp = Blueprint(f"api_{name}", __name__, url_prefix=f"{PREFIX}{path}", description=description)
    bp.register_error_handler(HTTPException, _problem)
    return bp


def _problem(error: HTTPException) -> Any:
    """Any refusal as problem details; webargs' invalid input with each field's messages."""
    if isinstance(error, ApiProblem):
        return error
    code = error.code or 500
    title = MESSAGES.get(code, (error.name, ""))[0]
    messages = getattr(error, "data", {}).get("messages")
    if messages is not None:
        detail = "The request has invalid values; see `errors`."
        return problem_response(code, "Invalid request", detail, errors=flat_messages(messages))
    return problem_response(code, title, error.description if code < 500 else None)


def flat_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs' messages by location and field ({"json": {"tag": [...]}}) as {"tag": [...]};
    nested fields are named with dots, a whole-body error is `body`."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            if not prefix and key in ("json", "query", "headers", "form", "files"):
                name = ""
            elif key == "_schema":
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for field, texts in flat_messages(value, name).items():
                flat.setdefault(field, []).extend(texts)
        return flat
    texts = messages if isinstance(messages, list) else [messages]
    return {prefix or "body": [str(text) for text in texts]}


def problems(bp: Blueprint, *codes: int) -> Callable[[T], T]:
    """Document problem responses (every operation also has the `default` problem)."""

    def decorate(view: T) -> T:
        for code in codes:
            view = bp.alt_response(
                code, schema=ProblemSchema, content_type=PROBLEM, description=MESSAGES_OF[code]
            )(view)
        return view

    return decorate


MESSAGES_OF = {
    401: "No live token.",
    403: "The token's role may not do this.",
    404: "No such object, or not one the token's user may see.",
    409: "A value that must be unique is already used (the field is named in `errors`).",
    412: "If-Match is not the object's current ETag: someone saved it since.",
    422: "Invalid input, each field with its messages in `errors`.",
    428: "If-Match is missing.",
}


def not_found(noun: str) -> ApiProblem:
    """A 404 problem for an object that does not exist or is not visible."""
    return ApiProblem(404, "Not found", f"There is no such {noun}, or it is not visible to you.")


def field_problem(field: str, message: str) -> ApiProblem:
    """A 422 problem about one field."""
    return ApiProblem(422, "Invalid request", message, errors={field: [message]})


def etag_of(obj: Any) -> str:
    """The object's ETag: its version, which every save moves on."""
    return f'"{obj.version}"'


def etag_headers(obj: Any) -> dict[str, str]:
    """The ETag header of an object's response."""
    return {"ETag": etag_of(obj)}


def require_if_match(obj: Any) -> int:
    """The version If-Match names, when it is the object's current one: 428 without it, 412
    (with the current version) when someone saved the object since it was read."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise ApiProblem(
            428, "Precondition required",
            "Send If-Match with the ETag of the object as you read it (GET it first), so that "
            "a save never overwrites someone else's.", current_version=obj.version,
        )  # fmt: skip
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if etag_of(obj) not in tags:
        raise stale(obj)
    return obj.version


def stale(obj: Any) -> ApiProblem:
    """A 412 problem: the object moved on; its current version and ETag come with it."""
    problem = ApiProblem(
        412, "Precondition failed",
        f"{obj.audit_label()} was changed by someone else since you read it (it is now version "
        f"{obj.version}). Nothing was saved; read it again and re-apply your change.",
        current_version=obj.version,
    )  # fmt: skip
    problem.headers["ETag"] = etag_of(obj)
    return problem


def save(action: Callable[[], T], obj: Any = None, fields: Mapping[str, str] | None = None) -> T:
    """Run one operation and commit; a domain refusal rolls back and becomes a 422 on its
    field (named as the API names it: `fields` maps the operation's names), a value already
    used a 409 on its field, a save raced by another (StaleEdit) a 412."""
    session = get_session()
    try:
        result = action()
    except StaleEdit:
        session.rollback()
        if obj is None:
            raise
        session.refresh(obj)
        raise stale(obj) from None
    except DomainError as error:
        session.rollback()
        field = (fields or {}).get(error.field or "", error.field) or "body"
        status, title = (
            (409, "Conflict") if isinstance(error, Duplicate) else (422, "Invalid request")
        )
        raise ApiProblem(status, title, error.message, errors={field: [error.message]}) from None
    session.commit()
    return result


def paged(page: Page, dump: Callable[[Any], Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A page's body (items and pagination) and headers: X-Total-Count and Link (next,
    previous, first), keeping the request's filters."""
    links = []
    if page.has_next:
        links.append(f'<{_page_url(page.number + 1)}>; rel="next"')
    if page.has_previous:
        links.append(f'<{_page_url(page.number - 1)}>; rel="prev"')
    links.append(f'<{_page_url(1)}>; rel="first"')
    headers = {"X-Total-Count": str(page.total), "Link": ", ".join(links)}
    pagination = {
        "page": page.number, "per_page": page.per_page, "total": page.total,
        "total_is_capped": page.total_is_capped, "has_next": page.has_next,
        "has_previous": page.has_previous,
    }  # fmt: skip
    return {"items": [dump(row) for row in page.rows], "pagination": pagination}, headers


def _page_url(number: int) -> str:
    """This list's address at another page."""
    args = {**request.args.to_dict(), "page": number}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "How many items the list holds.",
        "schema": {"type": "string"},
    },
    "Link": {"description": "The next, previous and first pages.", "schema": {"type": "string"}},
}
