"""Does listing assets through the REST API cost the same at 10k and 1M assets?

Builds the same temporary SQLite databases as benchmarks/asset_list.py (its builder, imported),
calls /api/v1/assets through the Flask test client with an administrator's personal token, and
prints the median latency of each request and the ratio of the largest size to the smallest
(goal: under 1.5, as for the pages). `python -m benchmarks.api [--quick]`; --quick stops at 100k.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from app import create_app
from app.migrate import upgrade_database
from benchmarks.asset_list import _fill, _median_ms, run_sizes
from inventory.enums import Role
from inventory.operations.api_tokens import create_token
from inventory.operations.users import create_user

SIZES = (10_000, 1_000_000)
NO_LIMITS = {"API_RATE_LIMIT": 10**9, "API_ANONYMOUS_RATE_LIMIT": 10**9}


def _requests(site_id: int, serial: str, site_name: str) -> dict[str, str]:
    """The API calls measured, by label (the asset page's own questions)."""
    return {
        "list page 1": "/api/v1/assets",
        "list page 20": "/api/v1/assets?page=20",
        "500 per page": "/api/v1/assets?per_page=500",
        "sort end of life": "/api/v1/assets?sort=end_of_life_on",
        "filter site": f"/api/v1/assets?site_id={site_id}",
        "filter status+eol": "/api/v1/assets?status=in_service&eol=2028",
        "search serial": f"/api/v1/assets?q={serial}",
        "search site name": f"/api/v1/assets?q={site_name.replace(' ', '+')}",
        "one asset": "/api/v1/assets/12345",
    }


def measure(size: int, repeats: int, workdir: Path) -> dict[str, float]:
    """Build a database of `size` assets and time each API call."""
    url = f"sqlite:///{workdir / f'api_assets_{size}.db'}"
    upgrade_database(url)
    site_id, serial, site_name = _fill(url, size, random.Random(size))
    settings = {"ENV_NAME": "test", "DATABASE_URL": url, **NO_LIMITS}
    app = create_app(settings)
    with app.extensions["rollout.sessions"]() as session:
        admin = create_user(session, by=None, username="bench", password="api list timing run 7",
                            role=Role.ADMIN)  # fmt: skip
        session.flush()
        _row, token = create_token(session, admin, name="benchmark")
        session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    results = {}
    for label, path in _requests(site_id, serial, site_name).items():
        if path.endswith("/12345") and size < 12_345:
            path = "/api/v1/assets/1"

        def get(path: str = path) -> None:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)

        results[label] = _median_ms(get, repeats)
    app.extensions["rollout.engine"].dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    """Measure and print; returns 0."""
    title = ("REST API asset list: latency by table size (SQLite file, Flask test client, "
             "an administrator's token, 50 per page unless said)")  # fmt: skip
    return run_sizes("python -m benchmarks.api", title, measure, argv, SIZES)


if __name__ == "__main__":
    sys.exit(main())
