"""The SEP problem: projects, sites, trades, budgets and calendar, validated on creation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

Objective = Literal["max_value", "min_makespan"]
OBJECTIVES: tuple[str, ...] = ("max_value", "min_makespan")


MAX_NUMBER = 2**62  # any number in a problem; CP-SAT works in 64-bit integers
MAX_HORIZON = 10_000  # periods; the model has a choice per project and period


def _require_int(
    value: object, what: str, *, minimum: int | None = 0, maximum: int = MAX_NUMBER
) -> None:
    """Raise ValueError unless value is an int (not a bool) in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value}")
    if value > maximum:
        raise ValueError(f"{what} must be at most {maximum}, got {value:.4g}")


@dataclass(frozen=True)
class Site:
    """A school or office where projects happen: its concurrency limit, blackouts and budget."""

    id: str
    max_concurrent: int = 1
    blackout_periods: frozenset[int] = frozenset()
    budget_cap: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"site id must be a non-empty string, got {self.id!r}")
        _require_int(self.max_concurrent, f"site {self.id}: max_concurrent")
        blackouts = _collection(self.blackout_periods, f"site {self.id}: blackout_periods")
        object.__setattr__(self, "blackout_periods", frozenset(blackouts))
        for period in self.blackout_periods:
            _require_int(period, f"site {self.id}: blackout_periods")
        if self.budget_cap is not None:
            _require_int(self.budget_cap, f"site {self.id}: budget_cap")


@dataclass(frozen=True)
class Project:
    """One upgrade at one site: its crews, duration, cost, value and timing rules."""

    id: str
    duration: int
    cost: int = 0
    value: int = 0
    site: str | None = None
    crews: Mapping[str, int] = field(default_factory=dict)
    mandatory: bool = False
    earliest: int = 0
    latest_end: int | None = None
    allowed_start_periods: frozenset[int] | None = None
    after: tuple[str, ...] = ()
    pinned_start: int | None = None
    funding: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"project id must be a non-empty string, got {self.id!r}")
        name = f"project {self.id}"
        _require_int(self.duration, f"{name}: duration")
        _require_int(self.cost, f"{name}: cost")
        _require_int(self.value, f"{name}: value")
        _require_int(self.earliest, f"{name}: earliest")
        if self.latest_end is not None:
            _require_int(self.latest_end, f"{name}: latest_end")
        if self.pinned_start is not None:
            _require_int(self.pinned_start, f"{name}: pinned_start")
        for key in ("site", "funding"):
            text = getattr(self, key)
            if text is not None and (not isinstance(text, str) or not text):
                raise ValueError(f"{name}: {key} must be a non-empty string, got {text!r:.40}")
        if not isinstance(self.mandatory, bool):
            raise ValueError(f"{name}: mandatory must be true or false")
        crews = dict(_mapping(self.crews, f"{name}: crews"))
        for trade, units in crews.items():
            _require_int(units, f"{name}: crews[{trade}]")
        object.__setattr__(self, "crews", MappingProxyType(crews))
        if self.allowed_start_periods is not None:
            allowed = frozenset(
                _collection(self.allowed_start_periods, f"{name}: allowed_start_periods")
            )
            for period in allowed:
                _require_int(period, f"{name}: allowed_start_periods")
            object.__setattr__(self, "allowed_start_periods", allowed)
        if isinstance(self.after, str):
            raise ValueError(f"{name}: after must be a list of project ids")
        object.__setattr__(self, "after", tuple(_collection(self.after, f"{name}: after")))
        for other in self.after:
            if not isinstance(other, str):
                raise ValueError(f"{name}: after must list project ids, got {other!r}")
        if self.id in self.after:
            raise ValueError(f"{name}: after lists the project itself")

    @property
    def is_required(self) -> bool:
        """True when the plan must include this project (mandatory or pinned)."""
        return self.mandatory or self.pinned_start is not None


def _collection(value: object, what: str) -> Iterable:
    """A list, tuple or set (None counts as empty), else ValueError naming the field."""
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValueError(f"{what} must be a list, got {value!r:.40}")
    return value


def _mapping(value: object, what: str) -> Mapping:
    """A mapping (None counts as empty), else ValueError naming the field."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a mapping, got {value!r:.40}")
    return value


def _per_period(value: int | Iterable[int], horizon: int, what: str) -> tuple[int, ...]:
    """Expand a single number or a list with one entry per period into a tuple of length H."""
    if isinstance(value, int) and not isinstance(value, bool):
        _require_int(value, what)
        return (value,) * horizon
    values = tuple(value)
    if len(values) != horizon:
        raise ValueError(f"{what} must have one entry per period ({horizon}), got {len(values)}")
    for item in values:
        _require_int(item, what)
    return values


@dataclass(frozen=True)
class Problem:
    """A whole SEP scenario: horizon, objective, budgets, trades, calendar, sites and projects."""

    horizon: int
    projects: tuple[Project, ...]
    sites: tuple[Site, ...] = ()
    trades: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    objective: Objective = "max_value"
    annual_budget: int | None = None
    monthly_budget: tuple[int, ...] | None = None
    funding_caps: Mapping[str, int] = field(default_factory=dict)
    blackout_periods: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        _require_int(self.horizon, "horizon", minimum=1, maximum=MAX_HORIZON)
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
        trades = {
            str(name): _per_period(cap, self.horizon, f"trades[{name}]")
            for name, cap in _mapping(self.trades, "trades").items()
        }
        object.__setattr__(self, "trades", MappingProxyType(trades))
        if self.annual_budget is not None:
            _require_int(self.annual_budget, "annual_budget")
        if self.monthly_budget is not None:
            monthly = _per_period(self.monthly_budget, self.horizon, "monthly_budget")
            object.__setattr__(self, "monthly_budget", monthly)
        caps = dict(_mapping(self.funding_caps, "funding_caps"))
        for source, cap in caps.items():
            _require_int(cap, f"funding_caps[{source}]")
        object.__setattr__(self, "funding_caps", MappingProxyType(caps))
        blackouts = frozenset(_collection(self.blackout_periods, "blackout_periods"))
        object.__setattr__(self, "blackout_periods", blackouts)
        for period in self.blackout_periods:
            _require_int(period, "blackout_periods")
        object.__setattr__(self, "sites", tuple(_collection(self.sites, "sites")))
        object.__setattr__(self, "projects", tuple(_collection(self.projects, "projects")))
        for site in self.sites:
            if not isinstance(site, Site):
                raise ValueError(f"sites must hold Site objects, got {site!r:.40}")
        for project in self.projects:
            if not isinstance(project, Project):
                raise ValueError(f"projects must hold Project objects, got {project!r:.40}")
        self._validate_references()

    def _validate_references(self) -> None:
        """Check that ids are unique and every referenced site, trade and project exists."""
        site_ids = [site.id for site in self.sites]
        if len(set(site_ids)) != len(site_ids):
            raise ValueError(f"duplicate site id {_first_duplicate(site_ids)}")
        project_ids = [project.id for project in self.projects]
        if len(set(project_ids)) != len(project_ids):
            raise ValueError(f"duplicate project id {_first_duplicate(project_ids)}")
        known_sites, known_projects = set(site_ids), set(project_ids)
        for project in self.projects:
            name = f"project {project.id}"
            if project.site is not None and project.site not in known_sites:
                raise ValueError(f"{name}: unknown site {project.site!r}")
            for trade in project.crews:
                if trade not in self.trades:
                    raise ValueError(f"{name}: unknown trade {trade!r} in crews")
            for other in project.after:
                if other not in known_projects:
                    raise ValueError(f"{name}: unknown predecessor {other!r} in after")
            if project.pinned_start is not None and project.pinned_start >= self.horizon:
                raise ValueError(f"{name}: pinned_start {project.pinned_start} is past the horizon")
        cycle = _find_cycle(self.projects)
        if cycle:
            raise ValueError(f"projects {', '.join(cycle)}: predecessors (after) form a cycle")
        self._validate_sizes()

    def _validate_sizes(self) -> None:
        """Totals the solver adds up must fit its 64-bit arithmetic (a coefficient per start)."""
        horizon = self.horizon
        totals = {
            "cost": sum(p.cost for p in self.projects) * horizon,
            "value": sum(p.value for p in self.projects) * horizon,
        }
        for trade in self.trades:
            totals[f"crews[{trade}]"] = (
                sum(p.crews.get(trade, 0) * max(1, min(p.duration, horizon)) for p in self.projects)
                * horizon
            )
        for what, total in totals.items():
            if total > MAX_NUMBER:
                raise ValueError(
                    f"projects: total {what} times the horizon is {total:.3g}, more than the "
                    f"solver's integers hold ({MAX_NUMBER:.3g}); use larger units"
                )

    @cached_property
    def project_by_id(self) -> Mapping[str, Project]:
        """Projects indexed by id."""
        return {project.id: project for project in self.projects}

    @cached_property
    def site_by_id(self) -> Mapping[str, Site]:
        """Sites indexed by id."""
        return {site.id: site for site in self.sites}

    @cached_property
    def topological_order(self) -> tuple[Project, ...]:
        """Projects ordered so that every predecessor comes before its successors."""
        done: set[str] = set()
        order: list[Project] = []
        projects = self.project_by_id
        for root in self.projects:
            stack = [(root, iter(root.after))]
            while stack:
                project, children = stack[-1]
                child = next((c for c in children if c not in done), None)
                if child is None:
                    stack.pop()
                    if project.id not in done:
                        done.add(project.id)
                        order.append(project)
                else:
                    stack.append((projects[child], iter(projects[child].after)))
        return tuple(order)

    def end_limit(self, project: Project) -> int:
        """The period by which the project must have ended (exclusive): latest_end and horizon."""
        if project.latest_end is None:
            return self.horizon
        return min(project.latest_end, self.horizon)

    def site_of(self, project: Project) -> Site | None:
        """The project's site, or None when it has no site limits."""
        if project.site is None:
            return None
        return self.site_by_id[project.site]

    def blackouts_for(self, project: Project) -> frozenset[int]:
        """District blackouts plus those of the project's site."""
        site = self.site_of(project)
        if site is None:
            return self.blackout_periods
        return self.blackout_periods | site.blackout_periods

    def static_starts(self, project: Project) -> list[int]:
        """Start periods allowed by the project's own timing rules and the blackouts.

        Computed once per project of this problem (greedy, the model, the LP, the reasons and
        the search all ask): a fresh list is returned each time.
        """
        if self.project_by_id.get(project.id) is not project:
            return self._compute_static_starts(project)
        cached = self._static_starts.get(project.id)
        if cached is None:
            cached = self._static_starts[project.id] = tuple(self._compute_static_starts(project))
        return list(cached)

    @cached_property
    def _static_starts(self) -> dict[str, tuple[int, ...]]:
        """Cache of static_starts by project id."""
        return {}

    def _compute_static_starts(self, project: Project) -> list[int]:
        """static_starts, uncached."""
        blackouts = self.blackouts_for(project)
        last = min(self.end_limit(project) - project.duration, self.horizon - 1)
        candidates = range(project.earliest, last + 1)
        if project.pinned_start is not None:
            candidates = [project.pinned_start] if project.pinned_start in candidates else []
        allowed = project.allowed_start_periods
        starts = []
        for start in candidates:
            if allowed is not None and start not in allowed:
                continue
            if blackouts and any(start + k in blackouts for k in range(project.duration)):
                continue
            starts.append(start)
        return starts


def _first_duplicate(ids: list[str]) -> str:
    """The first id that appears twice."""
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            return item
        seen.add(item)
    return ""


def _find_cycle(projects: Iterable[Project]) -> list[str]:
    """Project ids on a predecessor cycle, or an empty list."""
    after = {project.id: project.after for project in projects}
    state: dict[str, int] = {}
    for root in after:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            if index < len(after[node]):
                stack.append((node, index + 1))
                child = after[node][index]
                if state.get(child) == 1:
                    return path[path.index(child) :]
                if child not in state:
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return []
