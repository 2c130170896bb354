"""When a product is in season: its harvest months (Product.season_months, e.g. "5,6,7" for Yên
Châu mango), asked by the home page and any page that says "in season now". The one place the
rule lives; months are 1–12 and may wrap the new year ("11,12,1" for Phù Yên oranges)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def parse_months(value: str) -> list[int]:
    """"5, 6,7" → [5, 6, 7]; ValueError on anything that is not a month."""
    months = [int(part) for part in (value or "").replace(" ", "").split(",") if part]
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError(value)
    return months


def validate_months(value: str) -> None:
    try:
        parse_months(value)
    except ValueError:
        raise ValidationError(_("Months from 1 to 12, separated by commas (e.g. 5,6,7).")) from None


def normalise(value: str) -> str:
    """Stored form: sorted, unique, no spaces; the query below relies on it. A value the validator
    would refuse is kept as it is (the form reports it; saving must not crash)."""
    try:
        return ",".join(str(m) for m in sorted(set(parse_months(value))))
    except ValueError:
        return value


def is_in_season(value: str, month: int) -> bool:
    try:
        return month in parse_months(value)
    except ValueError:
        return False


def in_season_q(month: int, field: str = "season_months") -> Q:
    """Products harvested in `month`: the month alone, first, last or in the middle of the list."""
    m = str(month)
    return (Q(**{field: m}) | Q(**{f"{field}__startswith": f"{m},"}) | Q(**{f"{field}__endswith": f",{m}"})
            | Q(**{f"{field}__contains": f",{m},"}))
