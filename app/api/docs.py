"""/api/v1/docs: the interactive reference of the OpenAPI document, with Swagger UI's files
served from the flask-swagger-ui package (no CDN) and started by a script file, so the page
keeps the app's Content-Security-Policy (no inline script or style)."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, render_template_string

SWAGGER_UI = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
bp = Blueprint(
    "api_reference", __name__, url_prefix="/api/v1/docs",
    static_folder=str(SWAGGER_UI), static_url_path="/assets",
)  # fmt: skip

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Rollout API v1 reference</title>
  <link rel="stylesheet" href="{{ url_for('api_reference.static', filename='swagger-ui.css') }}">
  <link rel="icon" href="{{ url_for('api_reference.static', filename='favicon-32x32.png') }}">
</head>
<body>
  <div id="reference" data-spec="{{ url_for('api-docs.openapi_json') }}"></div>
  <script src="{{ url_for('api_reference.static', filename='swagger-ui-bundle.js') }}"></script>
  <script src="{{ url_for('api_reference.start') }}"></script>
</body>
</html>
"""

# Swagger UI's own validator badge would call validator.swagger.io: turned off.
START = """"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("reference");
  window.ui = SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
    tryItOutEnabled: false
  });
});
"""


@bp.route("")
def reference() -> str:
    """The reference page: Swagger UI over /api/v1/openapi.json."""
    return render_template_string(PAGE)


@bp.route("/start.js")
def start() -> Response:
    """The script that starts Swagger UI on the page."""
    return Response(START, mimetype="text/javascript")
