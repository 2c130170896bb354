"""An order is paid once per payment reference, and a cancelled order gives its stock back once."""
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.order import services, statuses
from tests.catalog_ext.storefront.test_orders import place_order

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def stock(sku):
    record = StockRecord.objects.get(partner_sku=sku)
    return record.num_in_stock, record.num_allocated or 0


def awaiting_transfer(order):
    """As the checkout leaves a VietQR order."""
    type(order).objects.filter(pk=order.pk).update(status=statuses.AWAITING_TRANSFER)
    order.refresh_from_db()


def test_payment_recorded_once_per_reference_and_moves_an_unpaid_order_on():
    order = place_order(lines=(("CF-001", 2),))
    awaiting_transfer(order)
    assert not services.is_paid(order)

    assert services.record_payment(order=order, amount=order.total_incl_tax, reference="FT2611250001",
                                   source_type="VietQR") is True
    assert services.record_payment(order=order, amount=order.total_incl_tax, reference="FT2611250001",
                                   source_type="VietQR") is False  # a replay changes nothing
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    assert services.amount_paid(order) == order.total_incl_tax
    assert order.payment_events.count() == 1


def test_partial_payment_keeps_the_order_waiting():
    order = place_order(lines=(("CF-001", 1),))
    awaiting_transfer(order)
    services.record_payment(order=order, amount=Decimal(1000), reference="PART-1", source_type="VietQR")
    order.refresh_from_db()
    assert order.status == statuses.AWAITING_TRANSFER


def test_cancel_gives_the_allocated_stock_back_once():
    before = stock("TE-002")
    order = place_order(lines=(("TE-002", 3),))
    assert stock("TE-002") == (before[0], before[1] + 3)
    assert services.cancel_order(order=order, reason="Hết hạn thanh toán") is True
    assert services.cancel_order(order=order, reason="Hết hạn thanh toán") is False
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert stock("TE-002") == before
    assert order.notes.filter(message="Hết hạn thanh toán").count() == 1
