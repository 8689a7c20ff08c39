"""Friendly error pages, never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is no such page, or it is not visible to you."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "The file is larger than this server accepts."),
    500: ("Something went wrong", "The error has been logged. Please try again later."),
}


def init_app(app: Flask) -> None:
    """Render every HTTP error with the site's layout."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


API_PREFIX = "/api/"  # the REST API answers every error as RFC 9457 problem details


def _is_api() -> bool:
    """True for a request to the REST API."""
    return request.path.startswith(API_PREFIX)


def _render(code: int, detail: str | None = None) -> Any:
    """The error page for a status code (problem details for the API)."""
    title, message = MESSAGES.get(code, ("Error", "The request failed."))
    if _is_api():
        from app.api.auth import problem_response  # the API is a layer on top of the pages

        return problem_response(code, title, detail or message)
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def _csrf_error(error: CSRFError) -> Any:
    """A form without a valid CSRF token: usually an expired page."""
    return _render(
        400, "The form has expired or did not come from this site. Reload the page and try again."
    )


def _http_error(error: HTTPException) -> Any:
    """Any HTTP error with our layout (the API's own problems as they are)."""
    if error.code is None or error.code < 400:
        return error
    if _is_api():
        if hasattr(error, "title"):  # an ApiProblem: already problem details
            return error
        return _render(error.code, error.description if error.code != 500 else None)
    return _render(error.code)


def _unexpected_error(error: Exception) -> Any:
    """A bug: log it, show a calm page."""
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _render(500)
