"""`flask export sites|models|assets FILE` writes the import's columns, by file extension."""

from __future__ import annotations

import openpyxl

from tests.factories import make_asset


def test_export_commands_write_xlsx_and_csv(app, session, tmp_path) -> None:
    asset = make_asset(session, tag="+SUM", notes="line one\nline two")
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "assets", str(tmp_path / "assets.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Exported 1 assets" in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "assets.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:4] == ("tag", "serial", "manufacturer", "model")
    assert rows[1][0] == "'+SUM"
    assert rows[1][10] == "line one\nline two"
    result = runner.invoke(args=["export", "sites", str(tmp_path / "sites.csv")])
    assert result.exit_code == 0
    text = (tmp_path / "sites.csv").read_text(encoding="utf-8-sig")
    assert asset.site.code in text
    result = runner.invoke(args=["export", "models", str(tmp_path / "models.csv")])
    assert asset.model.part_number in (tmp_path / "models.csv").read_text(encoding="utf-8-sig")
    result = runner.invoke(args=["export", "models", str(tmp_path / "models.pdf")])
    assert result.exit_code == 1
    assert "must end in .xlsx or .csv" in result.output
