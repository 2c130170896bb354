"""The 80 mm receipt, reprints, and returns (refund, restock, cash out of the drawer)."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from pos import returns, shifts
from pos.errors import PosError
from pos.models import PosSale

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(counter):
    counter.scan(counter.tea.upc, quantity=2)
    counter.scan(counter.honey.upc)
    number = counter.complete(cash_tendered=500000).json()["sale"]["number"]
    return PosSale.objects.get(order__number=number)


def test_the_receipt_shows_shop_showroom_lines_totals_cash_change_and_a_qr(counter, sale):
    page = counter.client.get(reverse("pos:receipt", kwargs={"number": sale.order.number}))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("OCOP Sơn La", counter.showroom.name, counter.tea.title, "2 × 150.000 ₫", "485.000 ₫",
                 "500.000 ₫", "15.000 ₫", sale.order.number, "<svg"):
        assert text in html, text
    assert "pos/receipt.css" in html
    listing = counter.client.get(reverse("pos:history")).content.decode()
    assert reverse("pos:receipt", kwargs={"number": sale.order.number}) in listing  # reprint from history


def test_the_receipt_css_prints_on_80mm_paper():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "pos" / "receipt.css").read_text()
    assert "size: 80mm" in css


def test_the_receipt_shows_the_ocop_stars_of_a_certified_demo_product(client, moc_chau, demo_cashier):
    from catalog_ext.badges import with_badges
    from pos import cart as carts
    from pos import sale as sales
    from shop.order.statuses import DELIVERED

    Product = get_model("catalogue", "Product")
    starred = with_badges(Product.objects.filter(stockrecords__partner=moc_chau.partner)).filter(badge_stars=3).first()
    record = StockRecord.objects.get(partner=moc_chau.partner, product=starred)
    shift = shifts.open_shift(user=demo_cashier, showroom=moc_chau, opening_float=Decimal(0))
    cart = carts.cart_for(demo_cashier, moc_chau)
    carts.add(cart, record.product, 1)
    sold, _ = sales.complete_sale(cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version, shift=shift,
                                  tender=sales.Tender(cash_tendered=record.price))
    assert sold.order.status == DELIVERED
    client.force_login(demo_cashier)
    html = client.get(reverse("pos:receipt", kwargs={"number": sold.order.number})).content.decode()
    assert "★★★</span>" in html and "★★★★" not in html


def test_a_return_refunds_in_cash_restocks_and_leaves_the_drawer(counter, sale):
    tea_line = sale.order.lines.get(product=counter.tea)
    before = shifts.expected_cash(counter.shift)
    response = counter.client.post(reverse("pos:return", kwargs={"number": sale.order.number}),
                                   {f"q{tea_line.pk}": "1", "reason": "Hộp bị móp"})
    assert response.status_code == 302
    ret = sale.returns.get()
    assert ret.amount == 150000
    assert StockRecord.objects.get(pk=counter.tea_shelf.pk).num_in_stock == 9  # 10 − 2 sold + 1 back
    assert shifts.expected_cash(counter.shift) == before - 150000
    assert counter.shift.movements.get().refund == ret
    assert sale.order.sources.get().amount_refunded == 150000
    with pytest.raises(PosError, match="1"):
        returns.refund(sale=sale, shift=counter.shift, quantities={tea_line.pk: 2}, reason="again")


def test_a_return_needs_an_open_shift_of_the_same_showroom(counter, sale):
    from .factories import make_showroom, make_staff, open_shift

    line = sale.order.lines.first()
    elsewhere = make_showroom()
    other_shift = open_shift(make_staff(elsewhere), elsewhere)
    with pytest.raises(PosError):
        returns.refund(sale=sale, shift=other_shift, quantities={line.pk: 1}, reason="x")
    shifts.close_shift(shift=counter.shift, counted={"500000": 1, "200000": 2, "50000": 1, "20000": 1, "10000": 1,
                                                     "5000": 1})
    counter.shift.refresh_from_db()
    with pytest.raises(PosError):
        returns.refund(sale=sale, shift=counter.shift, quantities={line.pk: 1}, reason="x")
    assert not sale.returns.exists()


def test_a_discounted_sale_refunds_the_discounted_price(counter):
    from .factories import make_staff, open_shift

    manager = make_staff(counter.showroom, role="manager")
    counter.client.force_login(manager)
    shift = open_shift(manager, counter.showroom)
    counter.scan(counter.tea.upc, quantity=2)  # 300.000
    counter.api("discount", {"amount": 30000, "reason": "Khuyến mãi"})
    number = counter.complete(cash_tendered=270000).json()["sale"]["number"]
    sale = PosSale.objects.get(order__number=number)
    ret = returns.refund(sale=sale, shift=shift, quantities={sale.order.lines.get().pk: 1}, reason="Đổi ý")
    assert ret.amount == 135000


def test_a_sale_of_a_closed_shift_is_refunded_from_the_drawer_of_the_shift_open_now(counter, sale):
    first = shifts.close_shift(shift=counter.shift, counted={"500000": 1, "200000": 2, "50000": 1, "20000": 1,
                                                             "10000": 1, "5000": 1})
    assert first.difference == 0
    now = shifts.open_shift(user=counter.cashier, showroom=counter.showroom, opening_float=Decimal(300000))
    honey_line = sale.order.lines.get(product=counter.honey)
    ret = returns.refund(sale=sale, shift=now, quantities={honey_line.pk: 1}, reason="Hết hạn")
    assert ret.shift == now and ret.amount == 185000
    assert shifts.expected_cash(now) == 300000 - 185000
    assert shifts.expected_cash(first) == 500000 + 485000  # the closed drawer is as it was counted
    assert StockRecord.objects.get(pk=counter.honey_shelf.pk).num_in_stock == 3
