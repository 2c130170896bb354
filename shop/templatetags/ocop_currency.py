"""`{{ amount|currency }}` as Oscar's filter writes it, without Babel's work on every call.

Put into Oscar's own `currency_filters` library when the project starts (shop/apps.py), so every
`{% load currency_filters %}`, Oscar's templates included, gets this one. (A library of the same
name in TEMPLATES["OPTIONS"]["libraries"] would do it too, but Django's check then warns of two
modules for one name, templates.W003, and `check --deploy` fails on warnings.)

Why: Oscar's filter builds Babel's formatting arguments, parses the pattern and looks the locale's
symbols and the currency's symbol up on every call (~30 µs quiet, ~0.2 ms on a busy machine), and a
basket or an order page calls it 20–30 times. For the shop's own setting (`#,##0 ¤`, no decimals:
`150.000 ₫`) the pattern and the symbols are read from Babel once per currency and locale; the
number is then rounded and grouped exactly as Babel's `NumberPattern.apply` does (the same Decimal
quantize, so the same rounding: half to even, `-0,4` → `-0 ₫`). Any other setting (decimals,
scientific or significant-digit patterns, a scale, other Babel options), and any value Babel treats
specially (NaN, infinities, more digits than the decimal context holds) is handed to Oscar's filter:
the output is Oscar's in every case (`tests/shop/test_currency_filter.py` compares them).
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation, getcontext

from babel.numbers import get_currency_precision, get_currency_symbol, get_group_symbol, parse_pattern
from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale
from oscar.templatetags.currency_filters import currency as oscar_currency

register = template.Library()

# The Babel options this formatter reproduces; any other one sends the call to Oscar's filter.
_UNDERSTOOD_OPTIONS = frozenset({"format", "locale", "currency_digits"})


@register.filter(name="currency")
def currency(value, currency_format=None):
    """Format a value as a currency amount: the same text as Oscar's `currency` filter."""
    code = currency_format if currency_format is not None else settings.OSCAR_DEFAULT_CURRENCY
    formatter = _formatter_for(code)
    if formatter is None:
        return oscar_currency(value, currency_format)
    try:
        amount = Decimal(value)
    except (TypeError, InvalidOperation):
        return ""
    text = formatter(amount)
    return oscar_currency(value, currency_format) if text is None else text


def _formatter_for(code):
    """The fast formatter for this currency under the current settings and language, or None when
    the settings ask for something only Babel's full path does."""
    setting = getattr(settings, "OSCAR_CURRENCY_FORMAT", None)
    if not isinstance(setting, dict):
        return None  # a pattern for every currency, or the locale's own: Oscar's path
    options = setting.get(code, {})
    if not isinstance(options, dict) or not set(options) <= _UNDERSTOOD_OPTIONS or not options.get("format"):
        return None
    locale = options.get("locale") or to_locale(get_language() or settings.LANGUAGE_CODE)
    return _build(code, str(locale), options["format"], bool(options.get("currency_digits", True)))


@functools.lru_cache(maxsize=64)
def _build(code, locale, pattern_text, currency_digits):
    """Read the pattern and the symbols once. None for a pattern that is not a plain whole number
    with groups (decimals, scale, exponent, significant digits, padding)."""
    pattern = parse_pattern(pattern_text)
    frac_prec = (get_currency_precision(code),) * 2 if currency_digits else pattern.frac_prec
    if (frac_prec != (0, 0) or pattern.scale or pattern.exp_prec or "@" in pattern.pattern
            or pattern.int_prec[0] > 1 or not pattern.number_pattern):
        return None
    group_size, later_group_size = pattern.grouping
    group_symbol = get_group_symbol(locale)
    affixes = [_affix(text, code, locale) for text in (*pattern.prefix, *pattern.suffix)]
    if any(affix is None for affix in affixes):
        return None
    positive_prefix, negative_prefix, positive_suffix, negative_suffix = affixes
    whole = Decimal(1)

    def format_amount(amount: Decimal) -> str | None:
        if not amount.is_finite() or len(amount.as_tuple().digits) > getcontext().prec:
            return None  # Babel's infinity sign, NaN, or its rounding at the context's precision
        try:
            digits = f"{abs(amount).quantize(whole):f}"
        except InvalidOperation:  # too many digits once whole: Babel fails the same way, say it its way
            return None
        if len(digits) > group_size:
            groups = [digits[-group_size:]]
            digits = digits[:-group_size]
            while len(digits) > later_group_size:
                groups.append(digits[-later_group_size:])
                digits = digits[:-later_group_size]
            groups.append(digits)
            digits = group_symbol.join(reversed(groups))
        if amount.is_signed():
            return f"{negative_prefix}{digits}{negative_suffix}"
        return f"{positive_prefix}{digits}{positive_suffix}"

    return format_amount


def use_in_oscars_library():
    """Oscar's `currency_filters` library answers `|currency` with this filter (called once, from
    shop/apps.py, before any template is compiled). Python code importing Oscar's function keeps it."""
    from oscar.templatetags import currency_filters

    currency_filters.register.filter("currency", currency)


def _affix(text, code, locale):
    """A prefix or suffix as Babel writes it: the currency sign replaced, quoted text unquoted.
    None for the currency's name (`¤¤¤`, which depends on the amount)."""
    if "¤¤¤" in text:
        return None
    text = text.replace("¤¤", code.upper()).replace("¤", get_currency_symbol(code, locale))
    return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)
