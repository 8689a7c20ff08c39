"""The REST API, /api/v1: the inventory (regions, sites, catalogue, assets) and the published
planning, for scripts holding a personal token. flask-smorest builds the OpenAPI document
(/api/v1/openapi.json) from the same schemas that check requests; /api/v1/docs shows it.

Writes go through the operations the forms use (same rules, the change log names the token's
user); reads through the pages' queries (same filters, sorting and site scope).
"""

from __future__ import annotations

import http
from typing import Any

from flask import Flask
from flask_smorest import Api

from app.api import assets, catalog, docs, planning, regions, sites
from app.api.common import PROBLEM
from app.api.schemas import ProblemSchema
from app.db import MAX_ID, IdConverter
from app.security import csrf

BLUEPRINTS = (
    regions.bp, sites.bp, catalog.systems_bp, catalog.manufacturers_bp, catalog.models_bp,
    assets.bp, planning.bp,
)  # fmt: skip
SETTINGS = {
    "API_TITLE": "Rollout",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = (
    "The inventory and the published plans of a school district. Authenticate with a personal "
    "token: `Authorization: Bearer <token>`. Errors are RFC 9457 problem details. See "
    "docs/api.md for pagination, filters, ETags and rate limits."
)


class RolloutApi(Api):
    """flask-smorest's Api whose error responses are documented as problem details."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        """Every status's response, and the default one, as application/problem+json."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["content"] = {PROBLEM: {"schema": ProblemSchema}}
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "A problem", "content": {PROBLEM: {"schema": ProblemSchema}}}
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def _id_parameter(_converter: IdConverter) -> dict[str, Any]:
    """An id in a path: a whole number a database id column can hold (larger ones are 404)."""
    return {"type": "integer", "minimum": 0, "maximum": MAX_ID}


def init_app(app: Flask) -> None:
    """Serve /api/v1: the resources, their OpenAPI document and its reference page. The API
    takes tokens only, never the session cookie, so it is exempt from CSRF."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    api = RolloutApi(
        app,
        spec_kwargs={
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
        },
    )
    api.register_converter(IdConverter, _id_parameter)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for bp in BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)
    app.register_blueprint(docs.bp)
    app.extensions["rollout.api"] = api
