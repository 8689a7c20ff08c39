"""PSPLIB single-mode RCPSP instances (`.sm` files) as min_makespan problems."""

from __future__ import annotations

import re

from scheduler.problem import Problem, Project


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
