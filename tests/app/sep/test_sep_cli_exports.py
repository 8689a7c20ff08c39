"""`flask sep export` to .xlsx, .pdf and .ics: a published plan only (the baseline unless a
published --version is given); bad input exits 2 with one line and no traceback."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.app.sep.world import sep_world


@pytest.fixture
def world(session, users):
    return sep_world(session, users)


def sep(app, *args: str):
    """Run `flask sep ...` against the test database."""
    return app.test_cli_runner().invoke(args=["sep", *args])


def _refusal(result) -> str:
    assert result.exit_code == 2, (result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_xlsx_is_the_baselines_monthly_schedule(app, world, tmp_path) -> None:
    target = tmp_path / "schedule.xlsx"
    result = sep(app, "export", "--scenario", "FY2028 program", str(target))
    assert result.exit_code == 0, result.output + result.stderr
    assert "monthly schedule of version 1" in result.stdout
    assert load_workbook(io.BytesIO(target.read_bytes())).sheetnames[:2] == ["Summary", "Jul 2027"]


def test_pdf_is_the_document_or_with_schedule_the_schedule(app, world, tmp_path) -> None:
    document, schedule = tmp_path / "sep.pdf", tmp_path / "schedule.pdf"
    first = sep(app, "export", "--scenario", "FY2028 program", "--version", "1", str(document))
    second = sep(app, "export", "--scenario", "FY2028 program", "--schedule", str(schedule))
    assert (first.exit_code, second.exit_code) == (0, 0), first.stderr + second.stderr
    assert "Strategic Execution Plan" in PdfReader(document).pages[0].extract_text()
    assert "Starting in Jul 2027" in "".join(p.extract_text() for p in PdfReader(schedule).pages)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--scenario", "Nope", "out.xlsx"], "no scenario named 'Nope'"),
        (["--scenario", "FY2028 program", "--version", "2", "out.pdf"], "is not published"),
        (["--scenario", "FY2028 program", "--version", "9", "out.xlsx"], "has no version 9"),
        (["--scenario", "FY2028 program", "out.docx"], "must end in .json, .xlsx, .pdf or .ics"),
        (["--scenario", "FY2028 program", "--schedule", "out.xlsx"], "--schedule goes with"),
        (["--scenario", "FY2028 program", "missing/out.pdf"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(app, world, args, says, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    assert says in _refusal(sep(app, "export", *args))


def test_a_scenario_without_a_baseline_exits_2(app, world, session, tmp_path) -> None:
    world.plan.published_at = None
    session.commit()
    refusal = _refusal(sep(app, "export", "--scenario", "FY2028 program", str(tmp_path / "x.pdf")))
    assert "has no published plan" in refusal


def test_ics_is_the_calendar_of_the_baseline(app, world, tmp_path) -> None:
    pytest.importorskip("app.calendar.ics")
    target = tmp_path / "work.ics"
    result = sep(app, "export", "--scenario", "FY2028 program", str(target))
    assert result.exit_code == 0, result.output + result.stderr
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
