"""Which commission rate applies to a sale, and the rule that a new rate never rewrites the past.

The rate in force on a day is the most specific rule whose `effective_from` is on or before it
(producer + showroom, producer + channel, producer, showroom, channel, everyone), the latest such
rule when several are equally specific. No rule at all: SETTLEMENT_DEFAULT_COMMISSION_PERCENT.
A rule can only start today or later (and is never edited), so the rate of any past day is fixed
for ever; the rate used is also copied onto each commission row.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Channel, CommissionRule, validate_rate


def default_rate() -> Decimal:
    return Decimal(str(getattr(settings, "SETTLEMENT_DEFAULT_COMMISSION_PERCENT", "10")))


def rate_for(*, producer_id: int | None, channel: str, showroom_id: int | None, on: dt.date,
             rules: list[CommissionRule] | None = None) -> Decimal:
    """The commission percent for a sale of `producer_id` on `channel` (at `showroom_id`) on day `on`.
    `rules`: all rules, when the caller (the audit) asks many times."""
    if rules is None:
        rules = list(CommissionRule.objects.filter(
            Q(producer_id=producer_id) | Q(producer__isnull=True),
            Q(channel=channel) | Q(channel=""),
            Q(showroom_id=showroom_id) | Q(showroom__isnull=True),
            effective_from__lte=on))
    best = None
    for rule in rules:
        if rule.effective_from > on or rule.producer_id not in (None, producer_id):
            continue
        if rule.channel not in ("", channel) or rule.showroom_id not in (None, showroom_id):
            continue
        rank = (rule.specificity, rule.effective_from, rule.pk)
        if best is None or rank > best[0]:
            best = (rank, rule.rate)
    return best[1] if best else default_rate()


def share(amount: int, rate: Decimal) -> int:
    """`rate` percent of `amount` đồng, rounded half up to whole đồng (as banks and receipts do)."""
    return int((Decimal(amount) * Decimal(rate) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def add_rule(*, rate, effective_from: dt.date, producer=None, channel: str = "", showroom=None, note: str = "",
             user=None) -> CommissionRule:
    """Record a new rate. Refused: outside 0–100 %, starting in the past (that would rewrite sales
    already settled), a showroom rule that is not for the counter."""
    errors = {}
    try:
        validate_rate(rate)
    except ValidationError as error:
        errors["rate"] = error.messages
    if effective_from < timezone.localdate():
        errors["effective_from"] = [_("A new rate starts today or later: it never changes sales already made.")]
    if showroom is not None and channel not in ("", Channel.COUNTER):
        errors["showroom"] = [_("A showroom's rate is for its counter sales.")]
    if errors:
        raise ValidationError(errors)
    return CommissionRule.objects.create(rate=Decimal(rate), effective_from=effective_from, producer=producer,
                                         channel=Channel.COUNTER if showroom is not None else channel,
                                         showroom=showroom, note=note, created_by=user)
