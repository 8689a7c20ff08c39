"""Does the asset list page cost the same at 10k, 100k and 1M assets?

Builds a temporary SQLite database per size (migrated, then filled with fast bulk inserts),
requests the asset list through the Flask test client as an administrator, and prints the median
latency of each request and the ratio of the largest size to the smallest (goal: under 1.5).
`python -m benchmarks.asset_list [--quick]`; --quick stops at 100k.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine

from app import create_app
from app.migrate import upgrade_database
from inventory.enums import Role
from inventory.lifecycle import add_years
from inventory.operations.authentication import start_login
from inventory.operations.users import create_user
from inventory.passwords import use_fast_test_parameters

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
MODELS = 300
BATCH = 20_000


def _requests(site_id: int, serial: str, site_name: str) -> dict[str, str]:
    """The pages measured, by label."""
    return {
        "list page 1": "/assets/",
        "list page 20": "/assets/?page=20",
        "sort end of life": "/assets/?sort=end_of_life_on",
        "filter site": f"/assets/?site_id={site_id}",
        "filter status+eol": "/assets/?status=in_service&eol=2028",
        "search serial": f"/assets/?q={serial}",
        "search site name": f"/assets/?q={site_name.replace(' ', '+')}",
    }


def _fill(url: str, size: int, rng: random.Random) -> tuple[int, str, str]:
    """Insert regions, sites, the catalogue and `size` assets; return a site, serial, name."""
    engine = create_engine(url)
    site_count = max(50, size // 500)
    today = dt.date.today()
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        cursor = raw.cursor()
        cursor.execute("INSERT INTO regions (code, name) VALUES ('R1', 'Region 1')")
        cursor.executemany(
            "INSERT INTO sites (code, name, kind, status, region_id) VALUES (?, ?, ?, ?, 1)",
            [
                (f"S{n:05d}", f"School {n:05d}", "elementary", "active")
                for n in range(1, site_count + 1)
            ],
        )
        cursor.execute("INSERT INTO manufacturers (name, is_active) VALUES ('Acme', 1)")
        cursor.executemany(
            "INSERT INTO asset_models (manufacturer_id, part_number, name, system_id,"
            " useful_life_years, is_active) VALUES (1, ?, ?, ?, ?, 1)",
            [(f"PN-{n}", f"Model {n}", 1 + n % 10, 5 + n % 5) for n in range(1, MODELS + 1)],
        )
        for start in range(0, size, BATCH):
            cursor.executemany(
                "INSERT INTO assets (tag, serial, model_id, site_id, status, installed_on,"
                " end_of_life_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    _asset_row(n, size, site_count, today, rng)
                    for n in range(start, min(size, start + BATCH))
                ],
            )
        cursor.execute("ANALYZE")
    engine.dispose()
    return (
        1 + site_count // 2,
        f"SN{(size // 3) * 7919 % 10**9:09d}",
        f"School {1 + site_count // 2:05d}",
    )


def _asset_row(n: int, size: int, sites: int, today: dt.date, rng: random.Random) -> tuple:
    """One generated asset: tag order and site, model, dates spread at random."""
    installed = today - dt.timedelta(days=rng.randrange(12 * 365))
    life = 5 + rng.randrange(5)
    status = "in_service" if rng.random() < 0.85 else rng.choice(["spare", "retired", "in_repair"])
    return (f"A{n:07d}", f"SN{n * 7919 % 10**9:09d}", 1 + rng.randrange(MODELS),
            1 + rng.randrange(sites), status, installed.isoformat(),
            add_years(installed, life).isoformat())  # fmt: skip


def _median_ms(call: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` calls, after one warm-up call."""
    call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(size: int, repeats: int, workdir: Path) -> dict[str, float]:
    """Build a database of `size` assets and time each page."""
    url = f"sqlite:///{workdir / f'assets_{size}.db'}"
    upgrade_database(url)
    site_id, serial, site_name = _fill(url, size, random.Random(size))
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    with app.extensions["rollout.sessions"]() as session:
        admin = create_user(session, by=None, username="bench", password="asset list timing run 7",
                            role=Role.ADMIN)  # fmt: skip
        session.commit()
        user_key = start_login(session, admin, remember=False)
        session.commit()
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user_key
    results = {}
    for label, path in _requests(site_id, serial, site_name).items():

        def get(path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        results[label] = _median_ms(get, repeats)
    app.extensions["rollout.engine"].dispose()
    return results


def _print_table(sizes: tuple[int, ...], results: dict[int, dict[str, float]]) -> None:
    """The latency table and the ratio of the largest size to the smallest."""
    labels = list(results[sizes[0]])
    print(f"{'request':<20}" + "".join(f"{size:>12,}" for size in sizes) + f"{'ratio':>9}")
    for label in labels:
        row = [results[size][label] for size in sizes]
        ratio = row[-1] / row[0]
        print(f"{label:<20}" + "".join(f"{ms:>10.1f}ms" for ms in row) + f"{ratio:>8.2f}x")


def run_sizes(
    prog: str,
    title: str,
    measure_size: Callable[..., dict],
    argv: list[str] | None,
    full_sizes: tuple[int, ...] = SIZES,
) -> int:
    """Build each table size, measure it and print the table and the ratio (shared with the
    REST API's benchmark); returns 0."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--quick", action="store_true", help="10k and 100k only, fewer repeats")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    use_fast_test_parameters()
    sizes = QUICK_SIZES if args.quick else full_sizes
    repeats = 5 if args.quick else 15
    print(title)
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"median of {repeats} requests after a warm-up")  # fmt: skip
    results = {}
    with tempfile.TemporaryDirectory(prefix="rollout-bench-") as workdir:
        for size in sizes:
            started = time.perf_counter()
            results[size] = measure_size(size, repeats, Path(workdir))
            print(f"  {size:,} assets: built and measured in {time.perf_counter() - started:.0f} s",
                  flush=True)  # fmt: skip
    _print_table(sizes, results)
    print(f"ratio = {sizes[-1]:,} / {sizes[0]:,} (goal < 1.5)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure and print; returns 0."""
    title = "asset list: latency by table size (SQLite file, Flask test client, signed in as admin)"
    return run_sizes("python -m benchmarks.asset_list", title, measure, argv)


if __name__ == "__main__":
    sys.exit(main())
