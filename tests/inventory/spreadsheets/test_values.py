"""The forgiving value parsers and their documented policies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventory.spreadsheets.values import (
    add_months,
    is_blank,
    parse_date,
    parse_decimal,
    parse_identifier,
    parse_int,
    parse_money_cents,
    parse_optional,
    parse_text,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-31", D(2024, 1, 31)),
        ("2024/1/31", D(2024, 1, 31)),
        ("2024-01-31 00:00:00", D(2024, 1, 31)),
        ("2024-01-31T08:15", D(2024, 1, 31)),
        ("1/23/23", D(2023, 1, 23)),
        ("10/27/28", D(2028, 10, 27)),
        ("12/31/1999", D(1999, 12, 31)),
        ("4/5/16 13:00", D(2016, 4, 5)),
        ("31.01.2024", D(2024, 1, 31)),
        ("5.4.16", D(2016, 4, 5)),
        ("20240131", D(2024, 1, 31)),
        ("Jan 31, 2024", D(2024, 1, 31)),
        ("January 31, 2024", D(2024, 1, 31)),
        ("31 Jan 2024", D(2024, 1, 31)),
        ("31-Jan-24", D(2024, 1, 31)),
        ("45322", D(2024, 1, 31)),
        (45322, D(2024, 1, 31)),
        (45322.75, D(2024, 1, 31)),
        (dt.datetime(2024, 1, 31, 17, 5), D(2024, 1, 31)),
        (D(2024, 1, 31), D(2024, 1, 31)),
        ("  2024-01-31  ", D(2024, 1, 31)),
    ],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("13/01/2024", "day/month/year"),
        ("2/30/2024", "not a real date"),
        ("2024-13-01", "not a real date"),
        ("14", "not a date"),
        ("next tuesday", "not a date"),
        ("", "not a date"),
        (0, "not an Excel date"),
    ],
)
def test_parse_date_refuses_with_reason(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        ("$1,234.50", 123_450),
        ("1234.5", 123_450),
        ("1.234,50", 123_450),
        ("1 234,50 €", 123_450),
        ("12,5", 1_250),
        ("1,234", 123_400),
        ("1,234,567", 123_456_700),
        ("1.234.567", 123_456_700),
        ("(12.00)", -1_200),
        ("-$5", -500),
        ("USD 99.99", 9_999),
        (".5", 50),
        ("0", 0),
        (10, 1_000),
        (2266.13, 226_613),
        (0.1 + 0.2, 30),
        (Decimal("19.999"), 2_000),
    ],
)
def test_parse_money_cents(value, cents):
    assert parse_money_cents(value) == cents


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.234", "more than two decimal places"),
        ("12.345,678", "more than two decimal places"),
        ("1,2,3", "not an amount"),
        ("abc", "not an amount"),
        ("$", "not an amount"),
        (True, "TRUE/FALSE"),
    ],
)
def test_parse_money_cents_refuses(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_money_cents(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,234", 1234), ("1 234", 1234), ("1234.0", 1234), (12.0, 12), (-3, -3), ("-999", -999)],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["12.5", "twelve", "", 1.5, True, "nan", "inf"])
def test_parse_int_refuses(value):
    with pytest.raises(ValueError):
        parse_int(value)


@pytest.mark.parametrize(
    "value", [None, "", "   ", "-999", -999, "N/A", "n/a", "NULL", "NOT REPORTED", "#N/A", "None"]
)
def test_blanks_and_sentinels_become_none(value):
    assert is_blank(value)
    assert parse_optional(value, parse_int) is None


def test_parse_optional_parses_or_trims_the_rest():
    assert parse_optional(" 2,600 ", parse_int) == 2600
    assert parse_optional("  Lincoln Elementary ") == "Lincoln Elementary"
    assert parse_optional(0, parse_int) == 0


def test_parse_identifier_catches_numbers_excel_rounded():
    assert parse_identifier(" FOC1234X0AB ") == "FOC1234X0AB"
    assert parse_identifier("1E+10") == "1E+10"
    with pytest.raises(ValueError, match="shortened by Excel"):
        parse_identifier("6.37702E+15")
    with pytest.raises(ValueError, match="format the column as Text"):
        parse_identifier(6.37702e15)


def test_parse_text_length_limit():
    assert parse_text("  abc ", max_length=3) == "abc"
    with pytest.raises(ValueError, match="the most allowed is 2"):
        parse_text("abc", max_length=2)


def test_parse_decimal_keeps_coordinates_exact():
    assert parse_decimal("28.5189857") == Decimal("28.5189857")
    assert parse_decimal(-81.4679235) == Decimal("-81.4679235")
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal("north")


def test_add_months_clamps_to_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 11, 15), 14) == D(2025, 1, 15)
    assert add_months(D(2016, 4, 5), 36) == D(2019, 4, 5)
