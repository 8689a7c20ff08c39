"""Reading and writing the SEP problem and solution files (JSON) and PSPLIB `.sm` instances."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scheduler.problem import Problem, Project, Site
from scheduler.solution import Assignment, Conflict, Solution, Unscheduled

_PROJECT_FIELDS = (
    "site", "crews", "duration", "cost", "value", "mandatory", "earliest", "latest_end",
    "allowed_start_periods", "after", "pinned_start", "funding",
)  # fmt: skip


def _int(value: Any, what: str) -> int:
    """An integer from JSON (integral floats accepted), else ValueError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, got {value!r}")
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


def _project_from_dict(data: Any, index: int) -> Project:
    """One project of the problem file."""
    if not isinstance(data, Mapping) or "id" not in data:
        raise ValueError(f"projects[{index}] must be an object with an id")
    name = f"project {data['id']}"
    if "duration" not in data:
        raise ValueError(f"{name}: duration is missing")
    fields: dict[str, Any] = {"id": str(data["id"])}
    for key in ("duration", "cost", "value", "earliest", "latest_end", "pinned_start"):
        if data.get(key) is not None:
            fields[key] = _int(data[key], f"{name}: {key}")
    crews = data.get("crews") or {}
    if not isinstance(crews, Mapping):
        raise ValueError(f"{name}: crews must be an object of trade: crews")
    fields["crews"] = {str(t): _int(n, f"{name}: crews[{t}]") for t, n in crews.items()}
    if data.get("allowed_start_periods") is not None:
        allowed = data["allowed_start_periods"]
        if not isinstance(allowed, list):
            raise ValueError(f"{name}: allowed_start_periods must be a list of periods")
        fields["allowed_start_periods"] = [
            _int(p, f"{name}: allowed_start_periods") for p in allowed
        ]
    after = data.get("after") or []
    if not isinstance(after, list):
        raise ValueError(f"{name}: after must be a list of project ids")
    fields["after"] = [str(other) for other in after]
    for key in ("site", "funding"):
        if data.get(key) is not None:
            fields[key] = str(data[key])
    if "mandatory" in data:
        fields["mandatory"] = data["mandatory"]
    return Project(**fields)


def _site_from_dict(data: Any, index: int) -> Site:
    """One site of the problem file."""
    if not isinstance(data, Mapping) or "id" not in data:
        raise ValueError(f"sites[{index}] must be an object with an id")
    name = f"site {data['id']}"
    fields: dict[str, Any] = {"id": str(data["id"])}
    if data.get("max_concurrent") is not None:
        fields["max_concurrent"] = _int(data["max_concurrent"], f"{name}: max_concurrent")
    if data.get("budget_cap") is not None:
        fields["budget_cap"] = _int(data["budget_cap"], f"{name}: budget_cap")
    blackouts = data.get("blackout_periods") or []
    fields["blackout_periods"] = [_int(p, f"{name}: blackout_periods") for p in blackouts]
    return Site(**fields)


def problem_from_dict(data: Any) -> Problem:
    """A Problem from the parsed JSON of a problem file (ValueError naming what is wrong)."""
    if not isinstance(data, Mapping):
        raise ValueError("the problem file must hold a JSON object")
    if "horizon" not in data:
        raise ValueError("horizon is missing")
    projects = data.get("projects")
    if not isinstance(projects, list):
        raise ValueError("projects must be a list")
    trades = data.get("trades") or {}
    if not isinstance(trades, Mapping):
        raise ValueError("trades must be an object of trade: capacity")
    fields: dict[str, Any] = {
        "horizon": _int(data["horizon"], "horizon"),
        "objective": data.get("objective") or "max_value",
        "trades": {str(t): _int_or_list(c, f"trades[{t}]") for t, c in trades.items()},
        "funding_caps": {
            str(k): _int(v, f"funding_caps[{k}]")
            for k, v in (data.get("funding_caps") or {}).items()
        },
        "blackout_periods": [
            _int(p, "blackout_periods") for p in data.get("blackout_periods") or []
        ],
        "sites": [_site_from_dict(s, i) for i, s in enumerate(data.get("sites") or [])],
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
        "bound": solution.bound,
        "runtime_s": round(solution.runtime_s, 3),
        "method": solution.method,
        "stats": dict(solution.stats),
        "assignments": [{"project": a.project, "start": a.start} for a in solution.assignments],
        "unscheduled": [{"project": u.project, "reason": u.reason} for u in solution.unscheduled],
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


def solution_from_dict(data: Any) -> Solution:
    """A Solution from the parsed JSON of a solution file."""
    if not isinstance(data, Mapping) or "status" not in data:
        raise ValueError("the solution file must hold a JSON object with a status")
    try:
        return Solution(
            status=data["status"],
            objective=data.get("objective"),
            bound=data.get("bound"),
            runtime_s=float(data.get("runtime_s") or 0.0),
            assignments=[
                Assignment(str(a["project"]), a["start"]) for a in data.get("assignments") or []
            ],
            unscheduled=[
                Unscheduled(str(u["project"]), str(u.get("reason", "")))
                for u in data.get("unscheduled") or []
            ],
            conflicts=[
                Conflict(
                    str(c.get("constraint", "")),
                    str(c.get("message", "")),
                    tuple(c.get("projects", ())),
                    tuple(c.get("sites", ())),
                    tuple(c.get("budgets", ())),
                    tuple(c.get("periods", ())),
                )
                for c in data.get("conflicts") or []
            ],
            method=str(data.get("method", "")),
            stats=dict(data.get("stats") or {}),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed solution file: {error}") from None


def load_json(path: str | Path) -> Any:
    """Parsed JSON from a file, with a one-line ValueError on bad JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None


def write_json(data: Any, path: str | Path) -> None:
    """Write data as indented JSON."""
    Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def parse_psplib(text: str, name: str = "psplib") -> Problem:
    """A min_makespan Problem from a PSPLIB single-mode `.sm` file's text."""
    horizon = _psplib_number(text, r"horizon\s*:\s*(\d+)", name)
    successors: dict[int, list[int]] = {}
    prec = _section(text, "PRECEDENCE RELATIONS:", name)
    for line in prec[1:]:
        numbers = [int(n) for n in line.split()]
        successors[numbers[0]] = numbers[3 : 3 + numbers[2]]
    requests = _section(text, "REQUESTS/DURATIONS:", name)
    resources = re.findall(r"[RN]\s*\d+", requests[0])
    jobs: dict[int, tuple[int, list[int]]] = {}
    for line in requests[1:]:
        if line.startswith("-"):
            continue
        numbers = [int(n) for n in line.split()]
        jobs[numbers[0]] = (numbers[2], numbers[3 : 3 + len(resources)])
    availability = [int(n) for n in _section(text, "RESOURCEAVAILABILITIES:", name)[1].split()]
    trades = {r.replace(" ", ""): availability[i] for i, r in enumerate(resources)}
    return _psplib_problem(horizon, successors, jobs, list(trades), trades)


def _psplib_problem(horizon, successors, jobs, names, trades) -> Problem:
    """Projects from PSPLIB jobs; zero-length jobs without demand (dummies) are bypassed."""
    dummies = {j for j, (d, req) in jobs.items() if d == 0 and not any(req)}
    predecessors: dict[int, set[int]] = {j: set() for j in jobs}
    for job, succs in successors.items():
        for succ in succs:
            predecessors[succ].add(job)

    def real_preds(job: int) -> set[int]:
        """Predecessors of a job, looking through dummy jobs."""
        found: set[int] = set()
        stack = list(predecessors[job])
        while stack:
            other = stack.pop()
            if other in dummies:
                stack.extend(predecessors[other])
            else:
                found.add(other)
        return found

    projects = [
        Project(
            id=f"J{job}", duration=jobs[job][0],
            crews={n: units for n, units in zip(names, jobs[job][1], strict=True) if units},
            after=tuple(f"J{p}" for p in sorted(real_preds(job))),
        )
        for job in sorted(jobs) if job not in dummies
    ]  # fmt: skip
    return Problem(
        horizon=horizon, projects=tuple(projects), trades=trades, objective="min_makespan"
    )


def _section(text: str, title: str, name: str) -> list[str]:
    """Non-empty lines after a section title up to the next line of asterisks."""
    start = text.find(title)
    if start < 0:
        raise ValueError(f"{name}: not a PSPLIB .sm file (no {title.rstrip(':')} section)")
    lines = []
    for line in text[start + len(title) :].splitlines():
        if line.startswith("*"):
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def _psplib_number(text: str, pattern: str, name: str) -> int:
    """A number found by a regular expression in the .sm header."""
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"{name}: not a PSPLIB .sm file (no {pattern.split(chr(92))[0]})")
    return int(match.group(1))
