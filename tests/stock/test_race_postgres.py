"""Handing over, refusals and new orders on the same stock rows at the same moment, each on its own
PostgreSQL connection: no update is lost, nothing is handed over or received back twice, and the
ledger adds up to the counts (the guard in tests/stock/guard.py audits after the test too)."""
import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from oscar.core.loading import get_model

from producer_portal import fulfilment
from shop.partner import stock
from shop.partner.stock import InsufficientStock
from tests.checkout.stock.factories import basket_of, make_product, place, stockrecord
from tests.concurrency import at_once

StockMovement = get_model("partner", "StockMovement")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def ship(order) -> int:
    """Lines handed over; 0 for a second tap, which finds the order shipped and is told so."""
    try:
        return fulfilment.mark_shipped(order=order, partner=order.lines.first().partner, carrier="GHN",
                                       tracking_number=f"GHN-{order.number}")
    except ValidationError as refused:
        assert "chưa sẵn sàng để gửi" in refused.messages[0] or "not ready to ship" in refused.messages[0]
        return 0


def refuse(order):
    """The whole parcel comes back (the buyer refused it at the door): every line received back."""
    return [stock.receive_back(line=line, quantity=line.quantity, actor=None, note="Khách từ chối", source=order).pk
            for line in order.lines.all()]


def moved(product, reason) -> int:
    return (StockMovement.objects.filter(stockrecord=stockrecord(product), reason=reason)
            .aggregate(n=Sum("delta_in_stock"))["n"] or 0)


def test_hand_overs_refusals_and_new_orders_at_once_lose_nothing_and_count_once():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=20)
    coffee = make_product(title="Cà phê Arabica Sơn La", stock=20)
    gone = [place(basket_of((tea, 1), (coffee, 1))) for _ in range(3)]
    for order in gone:
        ship(order)  # out with the carrier; they will come back refused
    waiting = [place(basket_of((tea, 1), (coffee, 1))) for _ in range(6)]
    # In stock 17, allocated 6: 11 free, 14 once the refused parcels are back.

    calls = ([lambda o=o: ship(o) for o in waiting for _ in range(2)]  # every hand-over tapped twice
             + [lambda o=o: refuse(o) for o in gone for _ in range(2)]  # every refusal recorded twice
             + [lambda n=n: place(basket_of((tea, 1), (coffee, 1)) if n % 2 else basket_of((coffee, 1), (tea, 1)))
                for n in range(12)])
    done, refused, errors = at_once(calls, refused_as=InsufficientStock)

    assert errors == []
    placed = [d for d in done if hasattr(d, "number")]
    assert 11 <= len(placed) <= 12 and len(placed) + len(refused) == 12
    for product in (tea, coffee):
        record = stockrecord(product)
        assert record.num_in_stock == 20 - 3 - 6 + 3  # initial − handed over + received back
        assert record.num_allocated == len(placed)
        assert moved(product, stock.Reason.HANDED_OVER) == -9  # 3 before, 6 in the race, each once
        assert moved(product, stock.Reason.RECEIVED_BACK) == 3
    assert stock.audit() == []


def test_two_hand_overs_of_one_order_at_once_take_its_units_once():
    tea = make_product(title="Chè Shan tuyết Tà Xùa", stock=5)
    order = place(basket_of((tea, 2)))

    done, _, errors = at_once([lambda: ship(order)] * 4, refused_as=InsufficientStock)

    assert errors == [] and sorted(done) == [0, 0, 0, 1]
    record = stockrecord(tea)
    assert (record.num_in_stock, record.num_allocated) == (3, 0)
    assert StockMovement.objects.filter(stockrecord=record, reason=stock.Reason.HANDED_OVER).count() == 1
