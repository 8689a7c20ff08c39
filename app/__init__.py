"""Rollout's web application: the Flask delivery layer over `inventory` and `scheduler`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import auth, cli, db, errors, layout, security
from app.account.views import bp as account_bp
from app.admin.views import bp as admin_bp
from app.api import init_app as init_api
from app.api.limits import init_app as init_api_limits
from app.assets.views import bp as assets_bp
from app.auth.views import bp as auth_bp
from app.calendar import init_logging as init_calendar_logging
from app.calendar.views import bp as calendar_bp
from app.catalog.views import bp as catalog_bp
from app.history.views import bp as history_bp
from app.imports import jobs as import_jobs  # noqa: F401 - registers the "import" job kind
from app.imports.views import bp as imports_bp
from app.jobs.views import bp as jobs_bp
from app.lifecycle.views import bp as lifecycle_bp
from app.main.views import bp as main_bp
from app.planning import common as planning
from app.planning import jobs as plan_jobs  # noqa: F401 - registers the "plan" job kind
from app.planning.decisions import bp as decisions_bp
from app.planning.plans import bp as plans_bp
from app.planning.projects import bp as projects_bp
from app.planning.runs import bp as runs_bp
from app.planning.scenarios import bp as scenarios_bp
from app.planning.upgrades import bp as upgrades_bp
from app.portal.views import bp as portal_bp
from app.regions.views import bp as regions_bp
from app.sep import jobs as sep_jobs  # noqa: F401 - registers the "sep_document" job kind
from app.sep.views import bp as sep_bp
from app.sites.views import bp as sites_bp
from config import ConfigError, load_config

BLUEPRINTS = (
    auth_bp, main_bp, admin_bp, history_bp, jobs_bp,
    regions_bp, sites_bp, catalog_bp, assets_bp, lifecycle_bp, imports_bp,
    scenarios_bp, upgrades_bp, projects_bp, runs_bp, plans_bp, decisions_bp,
    sep_bp, portal_bp, calendar_bp, account_bp,
)  # fmt: skip


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, database, extensions, blueprints, errors, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    try:
        app.config.update(load_config(app.instance_path, overrides=overrides))
    except ConfigError as error:  # a one-line reason, not a traceback, for the operator
        raise SystemExit(f"Rollout cannot start: {error}") from None
    if proxies := app.config["TRUSTED_PROXIES"]:  # the client's address and scheme, as forwarded
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    db.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    layout.init_app(app)
    planning.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    init_api(app)  # the REST API, /api/v1, and its OpenAPI document
    init_api_limits(app)  # after the blueprints: the API's rate limits
    errors.init_app(app)
    cli.init_app(app)
    init_calendar_logging(app)  # feed tokens never reach a request log
    return app
