"""The optimiser's words turned into a planner's: months, names and dollars."""

from __future__ import annotations

import pytest

from app.planning.wording import Vocabulary, in_words, keys_in, limit_group, limit_label
from inventory.models import Scenario


@pytest.fixture
def words() -> Vocabulary:
    """FY2028 (month 0 = Jul 2027), one site, two projects, a trade and two funding sources."""
    scenario = Scenario(name="FY2028", first_year=2028, years=1, start_month=7)
    return Vocabulary(
        month=scenario.month_label,
        projects={"N1:cabling": "Cabling at North", "N1:wifi": "Wi-Fi at North"},
        sites={"N1": "North Elementary"},
        trades={"network": "Network"},
        funding={"erate": "E-Rate Category 2", "bond": "Bond 2024"},
    )


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        (
            "its predecessor N1:cabling is unscheduled",
            "its predecessor Cabling at North is unscheduled",
        ),
        (
            "pinned to period 4, a district blackout (3-5)",
            "pinned to Nov 2027, a district blackout (Oct 2027 to Dec 2027)",
        ),
        (
            "pinned to period 4, a blackout at site N1 (4, 6-7)",
            "pinned to Nov 2027, a blackout at site North Elementary (N1) "
            "(Nov 2027, Jan 2028 to Feb 2028)",
        ),
        (
            "it cannot start at 3 or later and last 2 periods while ending by 4",
            "it cannot start in Oct 2027 or later and last 2 months while ending by the end of "
            "Oct 2027",
        ),
        ("annual budget exhausted (12000 left)", "annual budget exhausted ($12,000 left)"),
        (
            "erate@N1 funding exhausted (3000 left)",
            "E-Rate Category 2 budget of North Elementary (N1) exhausted ($3,000 left)",
        ),
        ("bond funding exhausted (30 left)", "Bond 2024 funding exhausted ($30 left)"),
        (
            "it would fit starting in period 2 (the plan is not proven optimal)",
            "it would fit starting in Sep 2027 (the plan is not proven optimal)",
        ),
        (
            "no month where it fits: monthly budget exhausted in 0-2, 5; no network crew free in "
            "period 3 (for a start in 3-4)",
            "no month where it fits: monthly budget exhausted in Jul 2027 to Sep 2027, Dec 2027; "
            "no Network crew free in Oct 2027 (for a start in Oct 2027 to Nov 2027)",
        ),
        (
            "required projects N1:wifi, N1:cabling cost 80.2k; annual budget is 50k",
            "required projects Wi-Fi at North, Cabling at North cost $80.2k; annual budget is $50k",
        ),
        (
            "required projects N1:wifi need 5 network crew-months in periods 2-5; network has 3 "
            "there",
            "required projects Wi-Fi at North need 5 Network crew-months in Sep 2027 to Dec 2027; "
            "Network has 3 there",
        ),
        (
            "site N1 allows 1 project at a time",
            "site North Elementary (N1) allows 1 project at a time",
        ),
    ],
)
def test_the_optimisers_words_read_as_a_planners(words: Vocabulary, said: str, meant: str) -> None:
    assert in_words(said, words) == meant


def test_unknown_ids_are_left_as_they_are(words: Vocabulary) -> None:
    assert in_words("its predecessor Z9:x is unscheduled", words) == (
        "its predecessor Z9:x is unscheduled"
    )


def test_limits_are_named_and_grouped(words: Vocabulary) -> None:
    assert limit_label("crews:network", words) == "Network crews"
    assert limit_label("annual_budget", words) == "Annual budget"
    assert limit_label("funding_cap:erate@N1", words) == (
        "E-Rate Category 2 budget of North Elementary (N1)"
    )
    assert limit_group("funding_cap:erate@N1") == "funding_cap:erate"
    assert limit_group("site_concurrency:N1") == "site_concurrency"
    assert limit_group("crews:network") == "crews:network"
    assert keys_in(["after N1:wifi and N1:cabling", "none"]) == {"N1:wifi", "N1:cabling"}
