"""The optimiser's reasons and conflicts in a planner's words: months, names and dollars.

The optimiser speaks of periods, project keys (SITE:UPGRADE), site codes, trade codes and funding
keys, and compact amounts in dollars ("80.2k"). Plans store its words unchanged; pages show them
through `in_words`, with the scenario's months and the names people know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventory.models import FundingSource, Project, Scenario, Site, Trade, UpgradeType

KEY = r"[A-Za-z0-9][A-Za-z0-9._/-]*"
RANGES = r"\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*"
AMOUNT = r"-?\d+(?:\.\d+)?[kM]?"


@dataclass
class Vocabulary:
    """What the optimiser's ids and periods mean in one scenario."""

    month: Callable[[int], str]
    projects: dict[str, str] = field(default_factory=dict)  # project key -> project name
    sites: dict[str, str] = field(default_factory=dict)  # site code -> site name
    trades: dict[str, str] = field(default_factory=dict)  # trade code -> trade name
    funding: dict[str, str] = field(default_factory=dict)  # funding key -> source name

    def site(self, code: str) -> str:
        """'Lincoln Elementary (ES0001)', or the code when unknown."""
        name = self.sites.get(code)
        return f"{name} ({code})" if name else code


def vocabulary_for(session: Session, scenario: Scenario) -> Vocabulary:
    """The scenario's months, project and site names, trades and funding sources."""
    words = Vocabulary(month=scenario.month_label)
    rows = session.execute(
        select(Site.code, Site.name, UpgradeType.code, Project.name)
        .join(Project, Project.site_id == Site.id)
        .join(UpgradeType, Project.upgrade_type_id == UpgradeType.id)
        .where(Project.scenario_id == scenario.id)
    )
    for site_code, site_name, type_code, project_name in rows:
        words.projects[f"{site_code}:{type_code}"] = project_name
        words.sites[site_code] = site_name
    words.trades = dict(session.execute(select(Trade.code, Trade.name)).all())
    sources = session.scalars(select(FundingSource).where(FundingSource.scenario_id == scenario.id))
    for source in sources:
        words.funding[source.code] = source.name
    return words


def in_words(text: str, words: Vocabulary) -> str:
    """The optimiser's text with months, names and dollars a planner reads."""
    text = re.sub(
        r"\b(pinned to|ends in|starting in|after) period (\d+)",
        lambda m: f"{m[1]} {words.month(int(m[2]))}",
        text,
    )
    text = re.sub(r"\bperiods (\d+)-(\d+)\b", lambda m: _span(words, int(m[1]), int(m[2])), text)
    text = re.sub(r"\bperiod (\d+)\b", lambda m: words.month(int(m[1])), text)
    text = re.sub(
        rf"\b(exhausted in|a start in) ({RANGES})", lambda m: f"{m[1]} {_ranges(words, m[2])}", text
    )
    text = re.sub(
        rf"blackout( at site {KEY})? \(({RANGES})\)",
        lambda m: f"blackout{m[1] or ''} ({_ranges(words, m[2])})",
        text,
    )
    text = re.sub(
        r"earliest start (\d+)\b", lambda m: f"earliest start {words.month(int(m[1]))}", text
    )
    text = re.sub(
        r"cannot start at (\d+) or later and last (\d+) periods while ending by (\d+)",
        lambda m: _too_short(words, int(m[1]), int(m[2]), int(m[3])),
        text,
    )
    text = re.sub(rf"\b({KEY}:{KEY})\b", lambda m: words.projects.get(m[1], m[1]), text)
    text = re.sub(rf"\b({KEY})@({KEY}) funding", lambda m: _erate(words, m[1], m[2]), text)
    text = re.sub(
        rf"\b({KEY}) (funding (?:exhausted|cap))",
        lambda m: f"{words.funding.get(m[1], m[1])} {m[2]}" if m[1] in words.funding else m[0],
        text,
    )
    text = re.sub(rf"\bsite ({KEY})", lambda m: f"site {words.site(m[1])}", text)
    text = re.sub(
        rf"\b(no|\d+) ({KEY}) crew", lambda m: f"{m[1]} {words.trades.get(m[2], m[2])} crew", text
    )
    text = re.sub(
        rf"\b({KEY}) (has|crews:)",
        lambda m: f"{words.trades[m[1]]} {m[2]}" if m[1] in words.trades else m[0],
        text,
    )
    text = re.sub(r"\((-?)(\d+) left\)", lambda m: f"({m[1]}${int(m[2]):,} left)", text)
    text = re.sub(
        rf"\b(cost|costing|is|total|budgets: ) ?({AMOUNT})(?=[;,)]|$| of| in)", _dollars, text
    )
    return text


def _dollars(match: re.Match[str]) -> str:
    """'cost 80.2k' -> 'cost $80.2k' (only amounts the optimiser wrote as money)."""
    word, amount = match[1].strip(), match[2]
    if word == "is" and amount[-1] not in "kM" and "." not in amount and int(amount) < 1000:
        return match[0]  # 'is 3' of crews or site slots is a count, not money
    return f"{word} ${amount}"


def _span(words: Vocabulary, first: int, last: int) -> str:
    """'periods 3-5' (both included) as 'Oct 2027 to Dec 2027'."""
    return words.month(first) if last <= first else f"{words.month(first)} to {words.month(last)}"


def _ranges(words: Vocabulary, text: str) -> str:
    """'0-2, 5' -> 'Jul 2027 to Sep 2027, Dec 2027'."""
    parts = []
    for piece in text.split(", "):
        first, _, last = piece.partition("-")
        start, stop = int(first), int(last or first)
        parts.append(
            words.month(start) if start == stop else f"{words.month(start)} to {words.month(stop)}"
        )
    return ", ".join(parts)


def _too_short(words: Vocabulary, earliest: int, duration: int, end: int) -> str:
    """The window from its earliest start to its latest end is shorter than the project."""
    months = "month" if duration == 1 else "months"
    return (
        f"cannot start in {words.month(earliest)} or later and last {duration} {months} "
        f"while ending by the end of {words.month(end - 1)}"
    )


def _erate(words: Vocabulary, source: str, site: str) -> str:
    """An E-Rate source kept per school: 'E-Rate Category 2 budget of Lincoln ES'."""
    return f"{words.funding.get(source, source)} budget of {words.site(site)}"


LIMIT_LABELS = {
    "predecessor": "Waiting on a project that must come first",
    "timing": "Its months, work windows and blackouts",
    "annual_budget": "Annual budget",
    "monthly_budget": "Monthly spending caps",
    "no_value": "Adds no value",
    "search": "Not proven best (more time may fit it)",
}


def limit_label(limit_key: str, words: Vocabulary) -> str:
    """A left-out project's limit as a heading: 'Network crews', 'Annual budget'."""
    rule, _, subject = limit_key.partition(":")
    if rule == "crews":
        return f"{words.trades.get(subject, subject)} crews"
    if rule == "funding_cap":
        source, _, site = subject.partition("@")
        name = words.funding.get(source, source)
        return f"{name} budget of {words.site(site)}" if site else name
    if rule == "site_budget":
        return f"Budget of {words.site(subject)}" if subject else "Each site's own budget"
    if rule == "site_concurrency":
        if not subject:
            return "Projects at once at each site"
        return f"Projects at once at {words.site(subject)}"
    if not limit_key:
        return "Reason not recorded"
    return LIMIT_LABELS.get(rule, rule.replace("_", " ").capitalize() or "Unknown")


def limit_group(limit_key: str) -> str:
    """Limits grouped for totals: a trade's crews stay apart, sites and schools count together."""
    rule, _, subject = limit_key.partition(":")
    if rule == "crews":
        return limit_key
    if rule == "funding_cap":
        return f"funding_cap:{subject.partition('@')[0]}"
    if rule in ("site_budget", "site_concurrency"):
        return rule
    return rule


def keys_in(texts: Iterable[str]) -> set[str]:
    """Project keys mentioned in texts (for loading only the names needed)."""
    found: set[str] = set()
    for text in texts:
        found.update(re.findall(rf"\b{KEY}:{KEY}\b", text))
    return found
