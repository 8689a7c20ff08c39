"""`flask sep`: every command, its exit codes (0, 2, 3) and output, the JSON list's shape, and
an export that `python -m scheduler check` re-checks in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.planning.jobs import start_plan_run
from app.planning.solving import RunSettings
from inventory import needs
from inventory.enums import Role, ScenarioStatus
from inventory.models import Plan, Scenario
from inventory.needs import NeedsPreview, NeedsResult, ProposedProject
from tests.app.planning.run_data import infeasible_scenario, small_scenario

ROOT = Path(__file__).resolve().parents[3]


def sep(app, *args: str):
    """Run `flask sep ...` against the test database."""
    return app.test_cli_runner().invoke(args=["sep", *args])


def _one_line_refusal(result) -> str:
    assert result.exit_code == 2, (result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def scenario(session) -> Scenario:
    made = small_scenario(session, name="FY2028 plan")
    session.commit()
    return made


def _plans(session) -> list[Plan]:
    session.expire_all()
    return list(session.scalars(select(Plan).order_by(Plan.version)))


def test_plan_stores_a_version_and_prints_progress(app, session, scenario) -> None:
    result = sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "3")

    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.startswith("Version 1 is ready")
    assert "value" in result.stderr and "s of 3s]" in result.stderr  # progress lines
    [plan] = _plans(session)
    assert plan.version == 1 and plan.time_limit_s == 3 and plan.job_id is None


def test_scenarios_lists_projects_versions_and_the_baseline(app, session, scenario) -> None:
    other = small_scenario(session, name="Budget cut", first_year=2029, years=2)
    session.commit()
    assert sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2").exit_code == 0
    assert sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2").exit_code == 0
    session.get(Scenario, scenario.id).status = ScenarioStatus.APPROVED
    session.commit()
    assert sep(app, "publish", "--scenario", "FY2028 plan", "--version", "1").exit_code == 0

    result = sep(app, "scenarios", "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"name": "Budget cut", "first_year": 2029, "years": 2, "status": "draft",
         "projects": len(other.projects), "plans": [], "baseline": None},
        {"name": "FY2028 plan", "first_year": 2028, "years": 1, "status": "approved",
         "projects": 4, "plans": [1, 2], "baseline": 1},
    ]  # fmt: skip
    table = sep(app, "scenarios").stdout.splitlines()
    assert table[0].split() == ["Scenario", "Years", "Status", "Projects", "Plans", "Baseline"]
    assert "FY2028 plan" in table[2] and "1, 2" in table[2]


def test_plan_of_an_infeasible_scenario_exits_3_with_the_conflicts(app, session) -> None:
    infeasible_scenario(session).name = "Impossible"
    session.commit()

    result = sep(app, "plan", "--scenario", "Impossible", "--time-limit", "3")

    assert result.exit_code == 3
    assert "No plan can meet every rule of Impossible" in result.stdout
    conflicts = [line for line in result.stdout.splitlines() if line.startswith("conflict: ")]
    assert conflicts and "Dec 2027" in result.stdout and "period" not in result.stdout
    assert _plans(session) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["plan", "--scenario", "Nope"], "no scenario named 'Nope'"),
        (["plan"], "--scenario NAME"),
        (["plan", "--scenario", "FY2028 plan", "--time-limit", "-5"], "from 1 to 3600"),
        (["plan", "--scenario", "FY2028 plan", "--time-limit=0"], "from 1 to 3600"),
        (["plan", "--scenario", "FY2028 plan", "--time-limit", "99999"], "from 1 to 3600"),
        (["plan", "--scenario", "FY2028 plan", "--time-limit", "soon"], "whole number"),
        (["publish", "--scenario", "FY2028 plan", "--version", "7"], "has no version 7"),
        (["publish", "--scenario", "FY2028 plan", "--version", "x"], "whole number"),
        (["publish", "--scenario", "FY2028 plan"], "has no plan yet"),
        (["export", "--scenario", "FY2028 plan", "out.json"], "no plan to export"),
        (["needs", "--scenario", "Nope"], "no scenario named"),
    ],
)
def test_bad_input_exits_2_with_one_line(app, scenario, args, says) -> None:
    assert says in _one_line_refusal(sep(app, *args))


def test_publish_follows_the_rules_and_marks_the_baseline(app, session, scenario) -> None:
    sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2")
    sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2")

    draft = _one_line_refusal(sep(app, "publish", "--scenario", "FY2028 plan"))
    assert "only an approved scenario's plan can be published" in draft

    session.get(Scenario, scenario.id).status = ScenarioStatus.APPROVED
    session.commit()
    result = sep(app, "publish", "--scenario", "FY2028 plan")  # the newest version
    assert result.exit_code == 0
    assert result.stdout.strip() == "Published version 2 of FY2028 plan as its baseline."
    assert [plan.is_published for plan in _plans(session)] == [False, True]
    again = _one_line_refusal(sep(app, "publish", "--scenario", "FY2028 plan", "--version", "2"))
    assert "already published" in again


def test_export_is_rechecked_by_the_scheduler_cli(app, session, scenario, tmp_path) -> None:
    sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2")
    sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2")
    target = tmp_path / "plan.json"

    result = sep(app, "export", "--scenario", "FY2028 plan", str(target))  # the newest

    assert result.exit_code == 0 and "Wrote version 2" in result.stdout
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data) == {"problem", "solution"}
    plan = _plans(session)[1]
    assert data["problem"] == plan.problem
    keys = {item["project"] for item in data["solution"]["assignments"]}
    assert keys == {row.key for row in plan.assignments}
    assert {p["site"] for p in data["problem"]["projects"]} == {
        project.site.code for project in session.get(Scenario, scenario.id).projects
    }  # the scenario's site codes, and project ids SITE:UPGRADE
    assert all(key.count(":") == 1 for key in keys)
    (tmp_path / "problem.json").write_text(json.dumps(data["problem"]), encoding="utf-8")
    (tmp_path / "solution.json").write_text(json.dumps(data["solution"]), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "scheduler", "check", "problem.json", "solution.json"],
        cwd=tmp_path, env={"PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 violation(s)" in checked.stdout


def test_export_picks_the_baseline_or_the_version_asked(app, session, scenario, tmp_path) -> None:
    for _ in range(2):
        sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2")
    session.get(Scenario, scenario.id).status = ScenarioStatus.APPROVED
    session.commit()
    sep(app, "publish", "--scenario", "FY2028 plan", "--version", "1")

    sep(app, "export", "--scenario", "FY2028 plan", str(tmp_path / "baseline.json"))
    sep(app, "export", "--scenario", "FY2028 plan", "--version", "2", str(tmp_path / "v2.json"))

    plans = _plans(session)
    baseline = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert baseline["solution"]["objective"] == plans[0].value
    assert json.loads((tmp_path / "v2.json").read_text(encoding="utf-8"))["solution"]["status"]
    for name in ("plan.txt", str(tmp_path / "missing" / "plan.json")):
        refusal = _one_line_refusal(sep(app, "export", "--scenario", "FY2028 plan", name))
        assert "must end in .json" in refusal or "does not exist" in refusal


def _proposal() -> ProposedProject:
    return ProposedProject(
        site_id=1, site_code="ES0001", site_name="Lincoln Elementary", upgrade_type_id=1,
        upgrade_type_name="Wi-Fi refresh", system_name="Wi-Fi", need_kind="end_of_life",
        need_summary="12 access points reach end of life", asset_ids=[1, 2], assets_replaced=12,
        assets_overdue=3, assets_added=0, cost_cents=4_500_000, cost_basis="12 x $3,750",
        value=40,
    )  # fmt: skip


def test_needs_says_what_it_will_create_then_creates_it(
    app, session, scenario, monkeypatch
) -> None:
    created: list[str] = []
    preview = NeedsPreview(proposed=[_proposal()], already_planned=2)
    monkeypatch.setattr(needs, "find_needs", lambda session, scenario, *, today: preview)

    def create(session, scenario, *, by, today) -> NeedsResult:
        created.append(scenario.name)
        return NeedsResult(created=1, assets_linked=2, skipped=2, total_cost_cents=4_500_000)

    monkeypatch.setattr(needs, "create_needs", create)

    dry = sep(app, "needs", "--scenario", "FY2028 plan", "--dry-run")
    assert dry.exit_code == 0 and created == []
    assert "ES0001 Lincoln Elementary: Wi-Fi refresh (12 access points" in dry.stdout
    assert "1 project(s) to create, $45,000 in all; 2 already in the scenario." in dry.stdout
    assert dry.stdout.strip().endswith("Dry run: nothing was created.")

    real = sep(app, "needs", "--scenario", "FY2028 plan")
    assert real.exit_code == 0 and created == ["FY2028 plan"]
    assert "Created 1 project(s), $45,000 in all, with 2 asset(s) linked" in real.stdout
    assert session.scalar(select(func.count(Plan.id))) == 0


def test_needs_of_a_scenario_that_is_not_a_draft_is_refused(app, session, scenario) -> None:
    session.get(Scenario, scenario.id).status = ScenarioStatus.SUBMITTED
    session.commit()
    refusal = _one_line_refusal(sep(app, "needs", "--scenario", "FY2028 plan"))
    assert "FY2028 plan is submitted" in refusal


def test_plan_follows_the_pages_rules(app, session, users, scenario) -> None:
    with app.app_context():
        job = start_plan_run(
            session, scenario, by=users[Role.PLANNER], settings=RunSettings(scenario.id, 5)
        )
    session.commit()
    busy = _one_line_refusal(sep(app, "plan", "--scenario", "FY2028 plan"))
    assert f"already being generated (run {job.id})" in busy

    empty = small_scenario(session, name="Nothing left")
    for project in empty.projects:
        project.is_withdrawn = True
    session.commit()
    assert "has no projects to plan" in _one_line_refusal(
        sep(app, "plan", "--scenario", "Nothing left")
    )
    assert _plans(session) == []


def test_by_records_who_planned_and_published(app, session, scenario, users) -> None:
    planner = users[Role.PLANNER].username
    result = sep(app, "plan", "--scenario", "FY2028 plan", "--time-limit", "2", "--by", planner)
    assert result.exit_code == 0, result.output + result.stderr
    session.get(Scenario, scenario.id).status = ScenarioStatus.APPROVED
    session.commit()
    assert sep(app, "publish", "--scenario", "FY2028 plan", "--by", planner).exit_code == 0
    [plan] = _plans(session)
    assert plan.created_by_id == plan.published_by_id == users[Role.PLANNER].id

    nobody = _one_line_refusal(sep(app, "publish", "--scenario", "FY2028 plan", "--by", "zz"))
    assert "no active user named 'zz'" in nobody
    staff = users[Role.STAFF].username
    refused = _one_line_refusal(sep(app, "needs", "--scenario", "FY2028 plan", "--by", staff))
    assert "only planners and administrators" in refused
