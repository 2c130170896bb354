"""Commission rules (specificity, dates, bounds) and ledger_audit."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from settlement import audit, commission, services
from settlement.models import AppendOnly, Channel, CommissionRule, Entry, Kind

from .conftest import deliver_online, sell_at_counter

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


def rule(rate, days_ago=0, **kwargs):
    """A rule starting `days_ago` (made directly: add_rule refuses the past, tests need history)."""
    return CommissionRule.objects.create(rate=Decimal(rate), effective_from=timezone.localdate()
                                         - dt.timedelta(days=days_ago), **kwargs)


def test_the_most_specific_rule_in_force_wins(world):
    rule("12", 30)
    rule("8", 30, channel=Channel.ONLINE)
    rule("6", 30, channel=Channel.COUNTER, showroom=world.showroom)
    rule("5", 30, producer=world.producer)
    rule("3", 30, producer=world.producer, channel=Channel.COUNTER, showroom=world.showroom)
    rule("4", -5, producer=world.producer)  # not yet in force
    today = timezone.localdate()
    rate = commission.rate_for
    assert rate(producer_id=world.other.pk, channel=Channel.ONLINE, showroom_id=None, on=today) == Decimal(8)
    assert rate(producer_id=world.other.pk, channel=Channel.COUNTER, showroom_id=world.showroom.pk, on=today) == 6
    assert rate(producer_id=world.other.pk, channel=Channel.COUNTER, showroom_id=None, on=today) == 12
    assert rate(producer_id=world.producer.pk, channel=Channel.ONLINE, showroom_id=None, on=today) == 5
    assert rate(producer_id=world.producer.pk, channel=Channel.COUNTER, showroom_id=world.showroom.pk, on=today) == 3


def test_a_new_rate_never_rewrites_the_past(world):
    deliver_online((world.tea, 1), at=timezone.now() - dt.timedelta(days=3))
    commission.add_rule(rate="20", effective_from=timezone.localdate())
    deliver_online((world.tea, 1))
    rates = list(Entry.objects.filter(producer=world.producer, kind=Kind.COMMISSION).order_by("occurred_at")
                 .values_list("rate", flat=True))
    assert rates == [Decimal(10), Decimal(20)]
    with pytest.raises(ValidationError) as error:
        commission.add_rule(rate="15", effective_from=timezone.localdate() - dt.timedelta(days=1))
    assert "effective_from" in error.value.message_dict
    existing = CommissionRule.objects.first()
    existing.rate = Decimal(1)
    with pytest.raises(AppendOnly):
        existing.save()
    assert audit.run().ok


@pytest.mark.parametrize("rate", ["-1", "100.01", "150"])
def test_a_rate_outside_0_to_100_is_refused(rate):
    with pytest.raises(ValidationError, match="between 0 and 100"):
        commission.add_rule(rate=rate, effective_from=timezone.localdate())


def test_ledger_audit_passes_on_real_events_and_exits_1_on_a_difference(world, capsys):
    from pos import returns

    sale = sell_at_counter(world, world.tea, 2)
    returns.refund(sale=sale, shift=world.shift, quantities={sale.order.lines.get().pk: 1}, reason="Vỡ")
    order = deliver_online((world.honey, 2))
    from oscar.core.loading import get_model

    PaymentEvent = get_model("order", "PaymentEvent")
    PaymentEventType = get_model("order", "PaymentEventType")
    PaymentEvent.objects.create(order=order, amount=Decimal(185000), reference="RF-9",
                                event_type=PaymentEventType.objects.get_or_create(name="Refunded")[0])
    services.record_refund(line=order.lines.get(), quantity=1, reference="RF-9")
    call_command("ledger_audit")
    assert "0 differences" in capsys.readouterr().out

    Entry.objects.bulk_create([Entry(producer=world.producer, kind=Kind.SALE, amount=1000, event="forged",
                                     key="forged:sale", occurred_at=timezone.now())])
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger_audit")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "forged:sale" in out and f"producer {world.producer.pk}" in out


def test_ledger_audit_finds_a_delivered_order_that_was_never_credited(world):
    from oscar.core.loading import get_model

    from tests.checkout.stock.factories import basket_of, place

    Order = get_model("order", "Order")
    order = place(basket_of((world.tea, 1)))
    Order.objects.filter(pk=order.pk).update(status="Delivered")  # delivered without the service
    result = audit.run()
    assert not result.ok and any(f"online:line:{order.lines.get().pk}" in p for p in result.problems)


def test_a_refund_larger_than_the_refund_recorded_on_the_order_is_reported(world):
    order = deliver_online((world.tea, 2))
    services.record_refund(line=order.lines.get(), quantity=1, reference="RF-NONE")  # no refund in Oscar
    assert any("RF-NONE" in p for p in audit.run().problems)


def test_the_backfill_migration_records_what_was_sold_before_the_ledger(world, monkeypatch):
    import importlib

    from pos import returns

    with monkeypatch.context() as before_the_ledger:
        before_the_ledger.setattr(services, "record_counter_sale", lambda sale: 0)
        before_the_ledger.setattr(services, "record_counter_return", lambda ret: [])
        sale = sell_at_counter(world, world.tea, 2)
        returns.refund(sale=sale, shift=world.shift, quantities={sale.order.lines.get().pk: 1}, reason="Vỡ")
    assert not Entry.objects.filter(producer=world.producer).exists() and not audit.run().ok

    importlib.import_module("settlement.migrations.0002_backfill_ledger").backfill(None, None)

    assert services.balance(world.producer.pk) == 135000 and audit.run().ok


def test_the_audit_follows_line_statuses_of_the_order_life(world):
    """A line delivered on its own (the order still on its way) is due; a line refused at the
    door of a Delivered order is not."""
    from oscar.core.loading import get_model

    from tests.checkout.stock.factories import basket_of, place

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    order = place(basket_of((world.tea, 1), (world.honey, 1)))
    tea, honey = order.lines.order_by("pk")
    Order.objects.filter(pk=order.pk).update(status="Shipped")
    Line.objects.filter(pk=tea.pk).update(status="Delivered")
    assert any(f"online:line:{tea.pk}" in p for p in audit.run().problems)
    services.record_delivery([Line.objects.get(pk=tea.pk)])
    Line.objects.filter(pk=honey.pk).update(status="Refused")
    Order.objects.filter(pk=order.pk).update(status="Delivered")
    assert audit.run().ok
    assert services.record_refund(line=tea, quantity=1, reference="RF-0", amount=0).written == 0
