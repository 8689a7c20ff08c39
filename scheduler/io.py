"""Reading and writing the SEP problem and solution files (JSON); PSPLIB is in psplib.py."""

from __future__ import annotations

import difflib
import json
import math
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.problem import Problem, Project, Site
from scheduler.solution import Assignment, Conflict, Solution, Unscheduled

_PROJECT_FIELDS = (
    "site", "crews", "duration", "cost", "value", "mandatory", "earliest", "latest_end",
    "allowed_start_periods", "after", "pinned_start", "funding",
)  # fmt: skip
_SITE_FIELDS = ("max_concurrent", "blackout_periods", "budget_cap")
_PROBLEM_FIELDS = (
    "horizon", "objective", "annual_budget", "monthly_budget", "trades", "blackout_periods",
    "funding_caps", "sites", "projects",
)  # fmt: skip


def _int(value: Any, what: str) -> int:
    """An integer from JSON (integral floats accepted), else ValueError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, got {_shown(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{what} must be a whole number, got {value!r}")
        return int(value)
    return value


def _int_or_list(value: Any, what: str) -> int | list[int]:
    """A single number or a list with one number per period."""
    if isinstance(value, list):
        return [_int(item, what) for item in value]
    return _int(value, what)


def _list(value: Any, what: str) -> list[Any]:
    """A JSON list (null counts as empty), else ValueError naming the field."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list, got {_shown(value)}")
    return value


def _object(value: Any, what: str) -> Mapping[str, Any]:
    """A JSON object (null counts as empty), else ValueError naming the field."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object, got {_shown(value)}")
    return value


def _id(value: Any, what: str) -> str:
    """An id: a non-empty string (whole numbers are accepted and read as text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, got {_shown(value)}")
    return value


class IgnoredFieldWarning(UserWarning):
    """A problem file carries a field the format does not define (a name, a note); it is
    ignored. The command line prints these as notes."""


def _no_unknown_keys(data: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    """A misspelt key would silently drop a rule (a budget, a deadline), so a key that looks
    like a known one (`anual_budget`, a project's `valu`, a site's `budget`) is refused. Other
    extra keys (`name`, `description`, a planner's notes) are ignored with a warning, since the
    format is meant to travel between tools. Keys starting with `_` or `$` are ignored silently.
    """
    for key in data:
        text = str(key)
        if key in known or text.startswith(("_", "$")):
            continue
        close = difflib.get_close_matches(text, known, n=1, cutoff=0.75)
        if close:
            raise ValueError(
                f"{where}unknown field {text!r} (did you mean {close[0]!r}? "
                f"known: {', '.join(known)})"
            )
        warnings.warn(
            f"{where}field {text!r} is not part of the problem format and is ignored",
            IgnoredFieldWarning,
            stacklevel=3,
        )


def _shown(value: Any) -> str:
    """A short rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _project_from_dict(data: Any, index: int) -> Project:
    """One project of the problem file."""
    if not isinstance(data, Mapping) or "id" not in data:
        raise ValueError(f"projects[{index}] must be an object with an id")
    pid = _id(data["id"], f"projects[{index}]: id")
    name = f"project {pid}"
    _no_unknown_keys(data, ("id", *_PROJECT_FIELDS), f"{name}: ")
    if data.get("duration") is None:
        raise ValueError(f"{name}: duration is missing")
    fields: dict[str, Any] = {"id": pid}
    for key in ("duration", "cost", "value", "earliest", "latest_end", "pinned_start"):
        if data.get(key) is not None:
            fields[key] = _int(data[key], f"{name}: {key}")
    crews = _object(data.get("crews"), f"{name}: crews")
    fields["crews"] = {str(t): _int(n, f"{name}: crews[{t}]") for t, n in crews.items()}
    if data.get("allowed_start_periods") is not None:
        allowed = _list(data["allowed_start_periods"], f"{name}: allowed_start_periods")
        fields["allowed_start_periods"] = [
            _int(p, f"{name}: allowed_start_periods") for p in allowed
        ]
    after = _list(data.get("after"), f"{name}: after")
    fields["after"] = [_id(other, f"{name}: after") for other in after]
    for key in ("site", "funding"):
        if data.get(key) is not None:
            fields[key] = _id(data[key], f"{name}: {key}")
    if data.get("mandatory") is not None:
        fields["mandatory"] = data["mandatory"]
    return Project(**fields)


def _site_from_dict(data: Any, index: int) -> Site:
    """One site of the problem file."""
    if not isinstance(data, Mapping) or "id" not in data:
        raise ValueError(f"sites[{index}] must be an object with an id")
    site_id = _id(data["id"], f"sites[{index}]: id")
    name = f"site {site_id}"
    _no_unknown_keys(data, ("id", *_SITE_FIELDS), f"{name}: ")
    fields: dict[str, Any] = {"id": site_id}
    if data.get("max_concurrent") is not None:
        fields["max_concurrent"] = _int(data["max_concurrent"], f"{name}: max_concurrent")
    if data.get("budget_cap") is not None:
        fields["budget_cap"] = _int(data["budget_cap"], f"{name}: budget_cap")
    blackouts = _list(data.get("blackout_periods"), f"{name}: blackout_periods")
    fields["blackout_periods"] = [_int(p, f"{name}: blackout_periods") for p in blackouts]
    return Site(**fields)


def problem_from_dict(data: Any) -> Problem:
    """A Problem from the parsed JSON of a problem file (ValueError naming what is wrong)."""
    if not isinstance(data, Mapping):
        raise ValueError("the problem file must hold a JSON object")
    _no_unknown_keys(data, _PROBLEM_FIELDS, "")
    if data.get("horizon") is None:
        raise ValueError("horizon is missing")
    if "projects" not in data:
        raise ValueError("projects is missing")
    projects = data["projects"]
    if not isinstance(projects, list):
        raise ValueError(f"projects must be a list, got {_shown(projects)}")
    trades = _object(data.get("trades"), "trades")
    objective = data.get("objective") or "max_value"
    if not isinstance(objective, str):
        raise ValueError(f"objective must be max_value or min_makespan, got {_shown(objective)}")
    caps = _object(data.get("funding_caps"), "funding_caps")
    fields: dict[str, Any] = {
        "horizon": _int(data["horizon"], "horizon"),
        "objective": objective,
        "trades": {str(t): _int_or_list(c, f"trades[{t}]") for t, c in trades.items()},
        "funding_caps": {str(k): _int(v, f"funding_caps[{k}]") for k, v in caps.items()},
        "blackout_periods": [
            _int(p, "blackout_periods")
            for p in _list(data.get("blackout_periods"), "blackout_periods")
        ],
        "sites": [_site_from_dict(s, i) for i, s in enumerate(_list(data.get("sites"), "sites"))],
        "projects": [_project_from_dict(p, i) for i, p in enumerate(projects)],
    }
    if data.get("annual_budget") is not None:
        fields["annual_budget"] = _int(data["annual_budget"], "annual_budget")
    if data.get("monthly_budget") is not None:
        fields["monthly_budget"] = _int_or_list(data["monthly_budget"], "monthly_budget")
    return Problem(**fields)


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The JSON-ready form of a problem (inverse of problem_from_dict)."""

    def per_period(values: tuple[int, ...]) -> int | list[int]:
        """One number when every period has the same value."""
        return values[0] if len(set(values)) == 1 else list(values)

    data: dict[str, Any] = {"horizon": problem.horizon, "objective": problem.objective}
    if problem.annual_budget is not None:
        data["annual_budget"] = problem.annual_budget
    if problem.monthly_budget is not None:
        data["monthly_budget"] = per_period(problem.monthly_budget)
    data["trades"] = {trade: per_period(cap) for trade, cap in problem.trades.items()}
    data["blackout_periods"] = sorted(problem.blackout_periods)
    data["funding_caps"] = dict(problem.funding_caps)
    data["sites"] = [
        {"id": s.id, "max_concurrent": s.max_concurrent,
         "blackout_periods": sorted(s.blackout_periods), "budget_cap": s.budget_cap}
        for s in problem.sites
    ]  # fmt: skip
    data["projects"] = [_project_to_dict(p) for p in problem.projects]
    return data


def _project_to_dict(project: Project) -> dict[str, Any]:
    """The JSON-ready form of a project."""
    data: dict[str, Any] = {"id": project.id}
    for key in _PROJECT_FIELDS:
        value = getattr(project, key)
        if key == "crews":
            value = dict(value)
        elif key == "after":
            value = list(value)
        elif key == "allowed_start_periods" and value is not None:
            value = sorted(value)
        data[key] = value
    return data


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The JSON-ready form of a solution (the solution file)."""
    return {
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound if _finite(solution.bound) else None,
        "runtime_s": round(solution.runtime_s, 3),
        "method": solution.method,
        "stats": {
            key: None if isinstance(value, float) and not math.isfinite(value) else value
            for key, value in solution.stats.items()
        },
        "assignments": [{"project": a.project, "start": a.start} for a in solution.assignments],
        "unscheduled": [_unscheduled_to_dict(u) for u in solution.unscheduled],
        "conflicts": [
            {
                "constraint": c.constraint,
                "message": c.message,
                "projects": list(c.projects),
                "sites": list(c.sites),
                "budgets": list(c.budgets),
                "periods": list(c.periods),
            }
            for c in solution.conflicts
        ],
    }


def _unscheduled_to_dict(item: Unscheduled) -> dict[str, str]:
    """A left-out project, with the limit that keeps it out when known."""
    data = {"project": item.project, "reason": item.reason}
    if item.limit:
        data["limit"] = item.limit
    return data


def _finite(number: float | None) -> bool:
    """True for a finite number (JSON has no infinity or NaN)."""
    return number is not None and math.isfinite(number)


def solution_from_dict(data: Any) -> Solution:
    """A Solution from the parsed JSON of a solution file (ValueError naming what is wrong)."""
    if not isinstance(data, Mapping) or "status" not in data:
        raise ValueError("the solution file must hold a JSON object with a status")
    objective = data.get("objective")
    if objective is not None:
        objective = _int(objective, "solution objective")
    bound = data.get("bound")
    if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
        raise ValueError(f"solution bound must be a number or null, got {_shown(bound)}")
    runtime = data.get("runtime_s") or 0.0
    if isinstance(runtime, bool) or not isinstance(runtime, int | float):
        raise ValueError(f"solution runtime_s must be a number, got {_shown(runtime)}")
    assignments = []
    for index, item in enumerate(_list(data.get("assignments"), "solution assignments")):
        what = f"solution assignments[{index}]"
        item = _object(item, what)
        if "project" not in item or "start" not in item:
            raise ValueError(f"{what} must have a project and a start")
        assignments.append(Assignment(_id(item["project"], what), _int(item["start"], what)))
    unscheduled = []
    for index, item in enumerate(_list(data.get("unscheduled"), "solution unscheduled")):
        what = f"solution unscheduled[{index}]"
        item = _object(item, what)
        if "project" not in item:
            raise ValueError(f"{what} must have a project")
        unscheduled.append(
            Unscheduled(
                _id(item["project"], what),
                str(item.get("reason") or ""),
                str(item.get("limit") or ""),
            )
        )
    conflicts = []
    for index, item in enumerate(_list(data.get("conflicts"), "solution conflicts")):
        what = f"solution conflicts[{index}]"
        item = _object(item, what)
        conflicts.append(
            Conflict(
                str(item.get("constraint", "")),
                str(item.get("message", "")),
                tuple(_list(item.get("projects"), f"{what}: projects")),
                tuple(_list(item.get("sites"), f"{what}: sites")),
                tuple(_list(item.get("budgets"), f"{what}: budgets")),
                tuple(_list(item.get("periods"), f"{what}: periods")),
            )
        )
    return Solution(
        status=data["status"],
        objective=objective,
        bound=bound,
        runtime_s=float(runtime),
        assignments=assignments,
        unscheduled=unscheduled,
        conflicts=conflicts,
        method=str(data.get("method", "")),
        stats=dict(_object(data.get("stats"), "solution stats")),
    )


def load_json(path: str | Path) -> Any:
    """Parsed JSON from a file, with a one-line ValueError on bad JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None


def write_json(data: Any, path: str | Path) -> None:
    """Write data as indented JSON."""
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
