"""The dependency rule of the architecture, enforced by walking every import with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "inventory": {"flask", "flask_login", "flask_wtf", "wtforms", "app", "scheduler"},
    "scheduler": {"flask", "flask_login", "flask_wtf", "wtforms", "sqlalchemy", "app", "inventory"},
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (absolute names), with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(package: str) -> list[str]:
    """Imports in a package that cross the boundary."""
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN[package]:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_the_dependency_rule(package: str) -> None:
    assert (ROOT / package).is_dir()
    assert violations(package) == []


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom flask import Flask\nimport sqlalchemy.orm\n")
    modules = [module for _line, module in imported_modules(bad)]
    assert modules == ["os", "flask", "sqlalchemy.orm"]


PURE_SCHEDULER_MODULES = (
    "problem.py", "solution.py", "check.py", "greedy.py", "io.py", "psplib.py",
)  # fmt: skip


@pytest.mark.parametrize("name", PURE_SCHEDULER_MODULES)
def test_the_checker_and_the_data_model_do_not_need_the_solver(name: str) -> None:
    """The checker re-verifies plans independently, so it must not lean on OR-Tools."""
    path = ROOT / "scheduler" / name
    assert path.is_file()
    assert [module for _line, module in imported_modules(path) if "ortools" in module] == []
