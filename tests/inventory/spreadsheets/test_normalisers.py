"""Vocabulary normalisers: site kinds, statuses, systems, asset statuses and ZIP codes."""

from __future__ import annotations

import pytest

from inventory.spreadsheets.normalisers import (
    normalise_asset_status,
    normalise_postal_code,
    normalise_site_kind,
    normalise_site_status,
    normalise_system,
    site_kind_from_grades,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ELEMENTARY", "elementary"), ("Elementary School", "elementary"), ("MIDDLE", "middle"),
        ("Junior High", "middle"), ("HIGH", "high"), ("Senior High School", "high"),
        ("SECONDARY", "high"), ("PREKINDERGARTEN", "elementary"), ("OTHER", "other"),
        ("K-12", "k12"), ("k12", "k12"), ("District Office", "office"),
        ("Data Center", "data_center"), ("data_center", "data_center"),
        ("KG-05", "elementary"), ("PK-8", "elementary"), ("06-08", "middle"),
        ("09-12", "high"), ("PK,K,01,02,03,04,05", "elementary"), ("06,07,08", "middle"),
        ("09,10,11,12", "high"), ("K,01,02,03,04,05,06,07,08,09,10,11,12", "k12"),
        ("Pre-K to 5", "elementary"), ("Lincoln Elementary", "elementary"),
        ("Elementary-High Combination", "k12"), ("Intermediate/Middle/Junior High", "middle"),
        ("Preschool", "elementary"), ("Ungraded", "other"),
    ],
)  # fmt: skip
def test_normalise_site_kind(text, kind):
    assert normalise_site_kind(text) == kind


def test_grade_span_rules_follow_nces_levels():
    assert site_kind_from_grades(-1, 12) == "k12"
    assert site_kind_from_grades(4, 6) == "middle"
    assert site_kind_from_grades(5, 12) == "other"


def test_unknown_site_kind_names_the_choices():
    with pytest.raises(ValueError, match="use one of elementary, middle, high, k12"):
        normalise_site_kind("Charter School")


@pytest.mark.parametrize(
    ("text", "status"),
    [("Open", "active"), ("ACTIVE", "active"), ("1", "active"), ("3", "active"),
     ("2", "closed"), ("Closed", "closed"), ("6", "closed"), ("7", "planned"),
     ("Future", "planned"), ("Under construction", "planned"), ("1-Open", "active"),
     ("2-Closed", "closed"), ("Changed Boundary/Agency", "active"), ("Merged", "closed"),
     ("Pending", "planned")],
)  # fmt: skip
def test_normalise_site_status_including_nces_codes(text, status):
    assert normalise_site_status(text) == status


@pytest.mark.parametrize(
    ("text", "system"),
    [("Switch", "lan"), ("Access Switch", "lan"), ("Core Switch", "network_core"),
     ("Router", "network_core"), ("Firewall", "network_core"), ("Access Point", "wifi"),
     ("Wireless Controller", "wifi"), ("UPS", "power"), ("PDU", "power"),
     ("IP Phone", "voice"), ("Camera", "cameras"), ("NVR", "cameras"),
     ("Projector", "video"), ("Badge Reader", "access_control"), ("Server", "servers"),
     ("Storage", "servers"), ("Patch Panel", "cabling"), ("network_core", "network_core"),
     ("Power / UPS", "power"), ("Catalyst 9300 48-port PoE switch", "lan")],
)  # fmt: skip
def test_normalise_system(text, system):
    assert normalise_system(text) == system


def test_unknown_system_is_refused():
    with pytest.raises(ValueError, match="not an infrastructure system"):
        normalise_system("Forklift")


@pytest.mark.parametrize("text", ["Laptops", "Mobile Phones", "Chromebook", "Printer"])
def test_end_user_devices_are_not_infrastructure(text):
    with pytest.raises(ValueError, match="end-user device"):
        normalise_system(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [("Ready to Deploy", "spare"), ("Pending", "planned"), ("Archived", "retired"),
     ("Broken", "in_repair"), ("Deployed", "in_service"), ("Out for Repair", "in_repair"),
     ("Pending Diagnostics", "in_repair"), ("Undeployable", "in_repair"), ("Lost", "disposed"),
     ("Lost/Stolen", "disposed"), ("active", "in_service"), ("offline", "spare"),
     ("decommissioning", "retired"), ("in_service", "in_service"), ("Liquidated", "disposed")],
)  # fmt: skip
def test_normalise_asset_status(text, status):
    assert normalise_asset_status(text) == status


def test_unknown_asset_status_is_refused():
    with pytest.raises(ValueError, match="not an asset status"):
        normalise_asset_status("On the moon")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2351", "02351"), (2351, "02351"), (2351.0, "02351"), ("32835", "32835"),
     ("501", "00501"), ("32835-7642", "32835-7642"), ("328357642", "32835-7642"),
     ("23517642", "02351-7642"), ("t8s 1a1", "T8S 1A1"), (" 02351 ", "02351")],
)  # fmt: skip
def test_normalise_postal_code_restores_leading_zeros(value, expected):
    assert normalise_postal_code(value) == expected
