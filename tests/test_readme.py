"""The README's commands work as written: each shell block of its command-line sections runs in
a fresh shell (no virtualenv, no Rollout variables), in a copy of the project right after
`make run`'s setup (`make db demo`), and every command does what the README says it does."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import islice
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.planning.checks import submission_checks
from config import ENV_VARIABLES
from inventory.enums import ScenarioStatus
from inventory.models import Scenario, User
from inventory.operations.scenario_review import approve_scenario, submit_scenario

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COPIED = ("Makefile", "pyproject.toml", "config.py", "app", "inventory", "scheduler", "migrations")
SCENARIO = "FY2028 Strategic Execution Plan"  # the demo's scenario when the README was written
MARK = "@@readme-command"
# What each command of the README's blocks must end with: its exit status and a phrase of its
# output. A command added to the README needs a line here (test_every_command_is_checked).
SETUP = ". .venv/bin/activate && export FLASK_APP=app:create_app ROLLOUT_ENV=development"
ROWS = "{} created, 0 updated, 0 unchanged, {} invalid ({})"
EXPECTED: dict[str, tuple[int, str]] = {
    SETUP: (0, ""),
    ". .venv/bin/activate": (0, ""),
    "flask import sites schools.xlsx --dry-run": (0, ROWS.format(3, 0, "dry run, nothing written")),
    "flask import models device_types.csv --default system=lan": (0, ROWS.format(2, 0, "imported")),
    "flask import assets snipeit.csv --valid-only": (0, ROWS.format(2, 1, "valid rows imported")),
    "flask import sites district.xlsx --sheet Schools": (0, ROWS.format(3, 0, "imported")),
    "flask export assets assets.xlsx": (0, "assets to assets.xlsx."),
    "flask sep scenarios": (0, SCENARIO),
    f'flask sep needs --scenario "{SCENARIO}" --dry-run': (0, "Dry run: nothing was created."),
    f'flask sep needs --scenario "{SCENARIO}"': (0, "Created "),
    f'flask sep plan --scenario "{SCENARIO}" --time-limit 60': (0, "Version 1 is ready"),
    f'flask sep publish --scenario "{SCENARIO}"': (0, f"Published version 1 of {SCENARIO}"),
    f'flask sep export --scenario "{SCENARIO}" plan.json': (0, "Wrote version 1 of"),
    f'flask sep export --scenario "{SCENARIO}" schedule.xlsx': (0, "Wrote the "),
    f'flask sep export --scenario "{SCENARIO}" --schedule schedule.pdf': (0, "Wrote the "),
    f'flask sep export --scenario "{SCENARIO}" sep.pdf': (0, "Wrote the "),
    f'flask sep export --scenario "{SCENARIO}" sep.ics': (0, "Wrote the "),
    "python -m scheduler generate --sites 300 --seed 1 -o district.json": (0, "300 sites"),
    "python -m scheduler solve district.json -o plan.json --time-limit 60": (0, " scheduled, "),
    "python -m scheduler check district.json plan.json": (0, "0 violation(s)"),
}
SHORTER = ("--time-limit 60", "--time-limit 5")  # the same commands, searching 5 s, not 60
SECTIONS = ("Inventory in and out", "Planning the Strategic Execution Plan", "The optimiser")
# `flask users create|set-password|disable` (in "Who uses it"), one by one.
USERS = ("flask users create jdoe --role staff", "flask users set-password jdoe",
         "flask users disable jdoe")  # fmt: skip


def readme_section(heading: str) -> str:
    """The README's text under this `## ` heading, up to the next one."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no section '## {heading}'"
    return match.group(1)


def shell_blocks(heading: str) -> list[list[str]]:
    """The section's ```sh blocks, each as its commands (continued lines joined, comments off)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", readme_section(heading), re.M | re.S)
    return [commands_of(block) for block in blocks]


def commands_of(block: str) -> list[str]:
    """One command per logical line, without its trailing comment or extra spaces."""
    joined = re.sub(r"\\\n\s*", " ", block)
    commands = (re.sub(r"(^|\s+)#(\s.*)?$", "", line).strip() for line in joined.splitlines())
    return [" ".join(command.split()) for command in commands if command]


def fresh_shell(home: Path) -> dict[str, str]:
    """The environment of a new terminal: no virtualenv and no Rollout settings."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def run_block(project: Path, commands: list[str], scenario: str) -> list[tuple[str, int, str]]:
    """Run a block's commands in one fresh shell: (command, exit status, its output) each."""
    lines = []
    for index, command in enumerate(commands):
        lines.append(command.replace(*SHORTER).replace(SCENARIO, scenario))
        lines.append(f'echo "{MARK} {index} $?"')
    result = subprocess.run(
        ["bash", "-c", "\n".join(lines)], cwd=project, env=fresh_shell(project.parent),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False,
    )  # fmt: skip
    outcomes, output = [], []
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            _, index, status = line.split()
            outcomes.append((commands[int(index)], int(status), "\n".join(output)))
            output = []
        else:
            output.append(line)
    assert len(outcomes) == len(commands), result.stdout
    return outcomes


def check_outcomes(outcomes: list[tuple[str, int, str]], scenario: str = SCENARIO) -> None:
    """Each command ended as EXPECTED says (commands it does not know must succeed)."""
    for command, status, output in outcomes:
        expected_status, phrase = EXPECTED.get(command, (0, ""))
        phrase = phrase.replace(SCENARIO, scenario)
        assert (status, phrase in output) == (expected_status, True), (command, output)
        assert "Traceback" not in output, (command, output)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the virtualenv, after `make db demo` (what `make run` does
    before it starts the servers), in a fresh shell."""
    project = tmp_path_factory.mktemp("readme") / "rollout"
    project.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    made = subprocess.run(  # -o: never reinstall into the shared virtualenv from the copy
        ["make", "-o", ".venv/.installed", "db", "demo"], cwd=project,
        env=fresh_shell(project.parent), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    return project


def demo_app(project: Path) -> Flask:
    """The app on the copy's database, to do what a person would do in the browser."""
    return create_app({"ENV_NAME": "test", "DATABASE_URL": project_database(project)})


def project_database(project: Path) -> str:
    """The copy's SQLite database, made by `make db` in its instance folder."""
    path = project / "instance" / "rollout.db"
    assert path.exists()
    return f"sqlite:///{path}"


def demo_scenario_name(project: Path) -> str:
    """The demo's draft scenario (the current year's is published already): named after the
    fiscal year to come, so it moves on each July."""
    app = demo_app(project)
    with app.extensions["rollout.sessions"]() as session:
        query = select(Scenario.name).where(Scenario.status == ScenarioStatus.DRAFT)
        name = session.scalar(query.order_by(Scenario.id))
    app.extensions["rollout.engine"].dispose()
    return name


def approve_as_planner(project: Path, name: str) -> None:
    """What the scenario's page does on Submit and then Approve, as the demo's planner."""
    app = demo_app(project)
    with app.app_context(), app.extensions["rollout.sessions"]() as session:
        scenario = session.scalar(select(Scenario).where(Scenario.name == name))
        planner = session.scalar(select(User).where(User.username == "planner"))
        submit_scenario(session, scenario, by=planner, checks=submission_checks)
        approve_scenario(session, scenario, by=planner)
        session.commit()
        assert scenario.status is ScenarioStatus.APPROVED
    app.extensions["rollout.engine"].dispose()


def write_import_files(project: Path) -> None:
    """The files the import examples name: a state directory (as a workbook, and as the second
    sheet of another), NetBox device types, and a Snipe-IT export with one unknown site."""
    directory = [
        ["NCESID", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "ENROLLMENT", "LEVEL_"],
        ["120000900001", "README Elementary", "1 Main St", "Ocala", "FL", "34470", "420", "1"],
        ["120000900002", "README Middle", "2 Main St", "Ocala", "FL", "34470", "610", "2"],
        ["120000900003", "README High", "3 Main St", "Ocala", "FL", "34470", "1250", "3"],
    ]
    schools = openpyxl.Workbook()
    for row in directory:
        schools.active.append(row)
    schools.save(project / "schools.xlsx")
    district = openpyxl.Workbook()
    district.active.title = "Notes"
    district.active.append(["The schools are on the next sheet."])
    sheet = district.create_sheet("Schools")
    for row in directory:
        sheet.append(row)
    district.save(project / "district.xlsx")
    (project / "device_types.csv").write_text(
        "manufacturer,model,part_number,u_height\n"
        "Aruba,README 6100,JL675A,1\nAruba,README 6200,JL724A,1\n", encoding="utf-8",
    )  # fmt: skip
    (project / "snipeit.csv").write_text(
        "Company,Asset Tag,Manufacturer,Model,Location,Serial,Purchase Date,Purchase Cost\n"
        "District,SNIPE-0001,Cisco,Meraki MR33,Adams Elementary School,Q2XX-1,1/23/23,450.00\n"
        "District,SNIPE-0002,Cisco,Meraki MR36,Adams Elementary School,Q2XX-2,2/23/23,500.00\n"
        "District,SNIPE-0003,Cisco,Meraki MR36,Nowhere School,Q2XX-3,2/23/23,500.00\n",
        encoding="utf-8",
    )


def test_every_command_is_checked() -> None:
    """The README's blocks and this test's list of commands are the same commands."""
    shown = {command for heading in SECTIONS for block in shell_blocks(heading)
             for command in block}  # fmt: skip
    assert shown == set(EXPECTED)
    assert "`flask users create|set-password|disable`" in readme_section("Who uses it")


def test_each_block_starts_a_new_shell_the_same_way() -> None:
    """Pasted into a new terminal, every block sets up its shell first."""
    for heading in SECTIONS:
        for block in shell_blocks(heading):
            assert block[0] in (SETUP, ". .venv/bin/activate"), (heading, block[0])
    assert SETUP in readme_section("Start it")


def test_the_import_and_export_examples(project: Path) -> None:
    write_import_files(project)
    [block] = shell_blocks("Inventory in and out")

    check_outcomes(run_block(project, block, SCENARIO))

    exported = openpyxl.load_workbook(project / "assets.xlsx", read_only=True).active
    assert len(list(islice(exported.iter_rows(values_only=True), 2))) == 2  # titles and assets


def test_the_user_commands(project: Path) -> None:
    for command in USERS:
        result = subprocess.run(
            ["bash", "-c", f"{SETUP}\n{command}"], cwd=project, env=fresh_shell(project.parent),
            input="Cobalt-Harbour-Lantern-42\n" * 2, capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, (command, result.stdout + result.stderr)
    assert "jdoe can no longer sign in." in result.stdout


def test_the_planning_examples(project: Path) -> None:
    name = demo_scenario_name(project)
    before, after = shell_blocks("Planning the Strategic Execution Plan")

    check_outcomes(run_block(project, before, name), name)
    approve_as_planner(project, name)  # on the scenario's page, as the README says
    check_outcomes(run_block(project, after, name), name)

    assert '"solution"' in (project / "plan.json").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(project / "schedule.xlsx", read_only=True).sheetnames[0]
    for name in ("sep.pdf", "schedule.pdf"):
        assert (project / name).read_bytes().startswith(b"%PDF-")
    assert (project / "sep.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_the_optimiser_examples(project: Path) -> None:
    [block] = shell_blocks("The optimiser")

    check_outcomes(run_block(project, block, SCENARIO))


def test_the_configuration_table_lists_every_setting() -> None:
    """Every ROLLOUT_* variable the configuration reads is in the table, and only those."""
    table = readme_section("Configuration")
    listed = set(re.findall(r"^\| `(ROLLOUT_[A-Z_]+)` \|", table, re.M))
    read = {f"ROLLOUT_{name}" for name in ENV_VARIABLES if name != "ENV_NAME"}
    assert listed == read | {"ROLLOUT_ENV"}
