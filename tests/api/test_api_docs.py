"""The OpenAPI document and its reference page: OpenAPI 3.1 at /api/v1/openapi.json, every
operation's errors documented as problem details, and a page that loads only this server's
files under the app's Content-Security-Policy (Chromium's look at it: /tmp/api-shots)."""

from __future__ import annotations

import re

from app.security import CONTENT_SECURITY_POLICY


def test_the_document_is_openapi_3_1_with_problem_errors(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Rollout" and spec["info"]["version"] == "v1"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    methods = {"get", "post", "patch", "delete"}
    operations = [
        op for item in spec["paths"].values() for key, op in item.items() if key in methods
    ]
    assert len(operations) >= 30
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    for operation in operations:
        assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(default) == ["application/problem+json"]


def test_the_reference_page_loads_only_local_files(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(addresses) == 4
    assert all(address.startswith("/api/v1/docs/") for address in addresses), addresses
    for address in addresses:
        file = client.get(address)
        assert file.status_code == 200, address
        file.close()


def test_the_start_script_turns_off_the_remote_validator(client) -> None:
    script = client.get("/api/v1/docs/start.js")
    assert script.mimetype == "text/javascript"
    assert "validatorUrl: null" in script.get_data(as_text=True)
