"""A planner's whole journey in a real browser, with a real `flask worker` running the plans:
generate needs, generate a plan while its progress bar moves, pin a project, re-plan, submit,
approve, publish, see what changed and compare two versions.

Set ROLLOUT_SCREENSHOTS=<folder> to keep a screenshot of every step (desktop and phone width).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from inventory.demo import DemoOptions, load_demo
from inventory.models import Plan, Project, Scenario
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(session) -> Scenario:
    """The 150-site demo district with its planning inputs (the users are the demo's): about
    a thousand candidate projects, a plan no search proves best within seconds."""
    load_demo(session, DemoOptions(sites=150, seed=2026, password=PASSWORD))
    session.commit()
    return session.scalars(select(Scenario)).one()


@pytest.fixture
def worker(app, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """`flask worker` in its own process on the test database, as an operator starts it."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROLLOUT_")}
    env.update(ROLLOUT_ENV="test", ROLLOUT_DATABASE_URL=app.config["DATABASE_URL"],
               ROLLOUT_JOB_BACKEND="embedded", PYTHONPATH=str(ROOT))  # fmt: skip
    log = tmp_path / "worker.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app:create_app", "worker"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    yield process
    process.terminate()
    process.wait(timeout=60)
    assert process.returncode in (0, -15), log.read_text(encoding="utf-8", errors="replace")


def _shot(page: Page, name: str) -> None:
    """Keep a screenshot of the step when ROLLOUT_SCREENSHOTS names a folder."""
    folder = os.environ.get("ROLLOUT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _run_plan(page: Page, shot: str) -> None:
    """On a run's page: the bar moves while the optimiser searches (the demo's plan cannot be
    proven best in seconds), the plan's value shows up, then the new version opens."""
    bar = page.locator("[data-testid=run-progress] .progress")
    seen: list[int] = []
    values: list[str] = []
    for _ in range(240):  # the run's time limit is 8 s; allow the worker a minute to start it
        if page.get_by_test_id("open-plan").is_visible():
            break
        seen.append(int(bar.get_attribute("aria-valuenow") or 0))
        values.append(page.get_by_test_id("run-value").inner_text())
        if len(seen) == 12:
            _shot(page, f"{shot}-running")
        page.wait_for_timeout(250)
    expect(page.get_by_test_id("open-plan")).to_be_visible()
    moving = sorted({percent for percent in seen if 0 < percent < 100})
    assert len(moving) >= 2, f"the bar did not move while the plan was searched: {seen}"
    assert any(re.fullmatch(r"[\d,]+", value) for value in values), values
    _shot(page, f"{shot}-finished")
    page.get_by_test_id("open-plan").click()
    expect(page.get_by_test_id("plan-tabs")).to_be_visible()


def test_a_planner_goes_from_the_inventory_to_a_published_plan(
    page: Page, session, demo: Scenario, worker
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())  # "Are you sure?" questions: yes
    sign_in(page, "planner", PASSWORD)
    page.get_by_test_id("nav").get_by_role("link", name="Planning").click()
    page.get_by_role("link", name=demo.name).click()
    _shot(page, "01-overview")

    # Generate needs: the page says what it will create, then what it created.
    page.get_by_test_id("actions").get_by_role("link", name="Generate needs").click()
    will = page.get_by_text(re.compile(r"Will create [\d,]+ projects"))
    expect(will).to_be_visible()
    count = int(re.search(r"Will create ([\d,]+)", will.inner_text())[1].replace(",", ""))
    _shot(page, "02-needs-preview")
    page.get_by_role("button", name=re.compile(r"Create [\d,]+ projects")).click()
    expect(page.get_by_role("alert")).to_contain_text(f"{count:,}")
    session.expire_all()
    assert session.query(Project).filter_by(scenario_id=demo.id).count() == count

    # Generate a plan in the background: the bar moves, the plan arrives.
    page.get_by_role("link", name="Overview").click()
    page.get_by_label("Search for (seconds)").fill("8")
    page.get_by_role("button", name="Generate plan").click()
    _run_plan(page, "03-run")
    _shot(page, "04-plan-overview")
    first = session.scalars(select(Plan).where(Plan.scenario_id == demo.id)).one()

    # Pin the first project of the monthly schedule to the month it has.
    page.get_by_test_id("plan-tabs").get_by_role("link", name="Monthly schedule").click()
    _shot(page, "05-schedule")
    page.get_by_test_id("pin-form").first.get_by_role("button", name="Pin").click()
    expect(page.get_by_role("alert").first).to_contain_text("Pinned")
    session.expire_all()
    assert session.query(Project).filter(Project.pinned_month.is_not(None)).count() == 1

    # Re-plan keeps the pin and starts from version 1.
    page.get_by_test_id("plan-tabs").get_by_role("link", name="Overview").click()
    page.get_by_label("Seconds").fill("8")
    page.get_by_role("button", name="Re-plan").click()
    _run_plan(page, "06-replan")
    session.expire_all()
    second = session.scalars(select(Plan).where(Plan.version == 2)).one()
    assert second.based_on_id == first.id

    # Submit, approve and publish version 2.
    page.get_by_role("link", name=demo.name).first.click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("scenario-status")).to_have_text("Submitted")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("scenario-status")).to_have_text("Approved")
    _shot(page, "07-approved")
    page.goto(f"/planning/plans/{second.id}")
    page.get_by_role("button", name="Publish as baseline").click()
    expect(page.get_by_test_id("published-badge")).to_be_visible()
    _shot(page, "08-published")

    # Version 1 against the baseline, and the two versions side by side.
    page.goto(f"/planning/plans/{first.id}/changes")
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 1")
    _shot(page, "09-changes")
    page.goto(f"/planning/compare?a={first.id}&b={second.id}")
    plans = page.get_by_test_id("compare-plans")
    expect(plans).to_contain_text("version 1")
    expect(plans).to_contain_text("version 2")
    expect(page.get_by_test_id("difference-counts")).to_contain_text("the same in both")
    _shot(page, "10-compare")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/planning/plans/{second.id}")
    _shot(page, "11-plan-phone")
