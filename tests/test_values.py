from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint.importers.values import (
    ValueParseError,
    currency_in,
    from_minor,
    minor_units,
    parse_amount,
    parse_date,
)


@pytest.mark.parametrize("text,expected", [
    ("1.234,56", "1234.56"), ("-1372.26", "-1372.26"), ("US $1,382.11", "1382.11"), ("129,46zł", "129.46"),
    ("€12,34", "12.34"), ("+0,00", "0.00"), ("5,490000000", "5.490000000"), ("12,34-", "-12.34"),
    ("-2.720,12", "-2720.12"), ("1 234,56", "1234.56"), ("(12.50)", "-12.50"), ("US $120.95", "120.95"),
    ("  -3,40 ", "-3.40"), ("0", "0"),
])
def test_parse_amount_formats(text, expected):
    assert parse_amount(text) == Decimal(expected)


def test_parse_amount_forced_decimal_resolves_ambiguity():
    assert parse_amount("1,234") == Decimal("1234")
    assert parse_amount("1,234", decimal=",") == Decimal("1.234")


@pytest.mark.parametrize("bad", ["12,3O", "abc", "1,2,3,4.5.6", "--", "NaN", "Infinity", "1e5"])
def test_parse_amount_rejects(bad):
    with pytest.raises(ValueParseError):
        parse_amount(bad)


def test_parse_amount_empty_is_none():
    assert parse_amount("") is None and parse_amount(None) is None and parse_amount("   ") is None


def test_currency_in_display_strings():
    assert currency_in("US $1.99") == "USD"
    assert currency_in("€12,34") == "EUR"
    assert currency_in("129,46zł") == "PLN"
    assert currency_in("12.00") is None


@pytest.mark.parametrize("text,kwargs,expected", [
    ("28/02/2018", {}, date(2018, 2, 28)), ("30-12-2014", {}, date(2014, 12, 30)),
    ("15.01.2026", {}, date(2026, 1, 15)), ("2026-02-20", {}, date(2026, 2, 20)),
    ("3/4/2026", {"dayfirst": False}, date(2026, 3, 4)), ("Feb 10, 2026", {}, date(2026, 2, 10)),
    ("10 févr. 2026", {}, date(2026, 2, 10)), ("2026-02-21 07:44:46", {}, date(2026, 2, 21)),
    ("12 mrt 2026", {}, date(2026, 3, 12)), ("20260321", {}, date(2026, 3, 21)),
])
def test_parse_date_formats(text, kwargs, expected):
    assert parse_date(text, **kwargs) == expected


@pytest.mark.parametrize("bad", ["31/02/2026", "2026-13-01", "yesterday", "00/00/0000"])
def test_parse_date_rejects(bad):
    with pytest.raises(ValueParseError):
        parse_date(bad)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_minor_units_round_trip(cents):
    assert minor_units(from_minor(cents)) == cents


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False,
                   allow_infinity=False))
def test_belgian_format_round_trip(amount):
    text = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert parse_amount(text) == amount
