"""The shop's `currency` filter writes exactly what Oscar's does, and it is the one templates load."""
import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from oscar.templatetags.currency_filters import currency as oscar_currency

from shop.templatetags.ocop_currency import currency

# Amounts a page shows and the awkward ones: halves (rounding to even), negatives, minus zero,
# more than a float holds, many groups, text, floats, exponents, and values Babel treats apart.
AMOUNTS = [
    0, 1, 9, 10, 999, 1000, 1001, 12345, 150000, 999999, 1000000, 1234567, 10 ** 12, 10 ** 15 + 7, 10 ** 27,
    -1, -999, -1000, -150000, -1234567, -(10 ** 18),
    Decimal("150000.00"), Decimal("0.5"), Decimal("1.5"), Decimal("2.5"), Decimal("999.5"), Decimal("-0.5"),
    Decimal("-2.5"), Decimal("-0.4"), Decimal("-0"), Decimal("0.0001"), Decimal("1234.4999"), Decimal("1E+3"),
    Decimal("1.5E+6"), Decimal("-7E-2"), Decimal("12345678901234567890123456.5"),
    Decimal("1234567890123456789012345678.6"), Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"),
    12.5, -12.5, 0.1, 1e20, "150000", " 42 ", "-3.5", "1e5", "abc", "", None, True, False, [1],
]


def _outcome(filter_, *args):
    """The text, or the kind of error (Oscar's filter lets a few through: a list, too many digits)."""
    try:
        return filter_(*args)
    except Exception as error:  # noqa: BLE001 - the same failure is part of "the same output"
        return type(error)


def _random_amounts(n=500):
    pick = random.Random(21)
    return [Decimal(pick.randrange(-10 ** pick.randrange(1, 16), 10 ** pick.randrange(1, 16)))
            / Decimal(10 ** pick.choice([0, 0, 1, 2])) for _ in range(n)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_same_text_as_oscars_filter(language):
    with translation.override(language):
        for amount in AMOUNTS + _random_amounts():
            assert _outcome(currency, amount) == _outcome(oscar_currency, amount), amount
    assert currency(Decimal("150000")) == "150.000 ₫"
    assert _outcome(currency, [1]) is ValueError  # as Oscar's: only text and numbers are amounts
    assert currency(Decimal("-1234567.5")) == "-1.234.568 ₫"


def test_an_amount_too_long_for_the_decimal_context_fails_as_oscars_does():
    from decimal import InvalidOperation

    with pytest.raises(InvalidOperation):
        oscar_currency(Decimal("1E+30"))
    with pytest.raises(InvalidOperation):
        currency(Decimal("1E+30"))


@pytest.mark.parametrize("setting", [
    {"VND": {"format": "#,##0.00 ¤", "locale": "vi", "currency_digits": False}},  # decimals
    {"VND": {"format": "¤#,##0", "locale": "en", "currency_digits": False}},  # sign before, other groups
    {"VND": {"format": "#,##,##0 ¤¤", "locale": "vi", "currency_digits": False}},  # Indian grouping, code
    {"VND": {"format": "'VND' #,##0;(#,##0)", "locale": "vi"}},  # quoted text, negatives in brackets
    {"VND": {"format": "#,##0 ¤¤¤", "locale": "vi"}},  # the currency's name: Babel's path
    {"VND": {"format": "#,##0 ¤", "format_type": "accounting"}},  # an option it does not know
    {"USD": {"format": "#,##0 ¤"}},  # no setting for VND: the language's pattern
    None,
])
def test_any_other_setting_gives_oscars_text_too(setting):
    with override_settings(OSCAR_CURRENCY_FORMAT=setting):
        for amount in AMOUNTS[:40] + _random_amounts(50):
            assert _outcome(currency, amount) == _outcome(oscar_currency, amount), (setting, amount)
            assert _outcome(currency, amount, "USD") == _outcome(oscar_currency, amount, "USD"), (setting, amount)


def test_templates_that_load_oscars_library_get_this_filter():
    page = Template("{% load currency_filters %}{{ amount|currency }} {{ amount|currency:'USD' }}")
    assert page.engine.template_libraries["currency_filters"].filters["currency"] is currency
    assert page.render(Context({"amount": Decimal("150000")})) == f"150.000 ₫ {oscar_currency(150000, 'USD')}"
