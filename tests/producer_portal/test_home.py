"""The producer home on a phone: orders to prepare, low stock, expiring certificates, this month's
sales, unread notices — the producer's own, in few queries."""
import pytest
from django.urls import reverse

from notifications.models import Notification

from .conftest import order_of, record

pytestmark = pytest.mark.django_db


def test_home_shows_the_producers_own_work(client_a, client_b, producer_b, django_capture_on_commit_callbacks,
                                           django_assert_max_num_queries):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_of(("CF-002", 2), ("TE-002", 1))
    url = reverse("dashboard:producer-home")
    with django_assert_max_num_queries(25):
        page = client_a.get(url, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    html = page.content.decode().replace("\xa0", " ")
    coffee_total = order.lines.get(partner__code="chieng-mai-coffee").line_price_incl_tax
    assert page.context["month_sales"] == coffee_total
    assert f"{int(coffee_total):,}".replace(",", ".") + " ₫" in html
    assert [o.number for o in page.context["orders"]] == [str(order.number)]
    assert page.context["unread_count"] == 1 and "Đơn hàng mới" in html
    assert '<meta name="viewport"' in html  # Oscar's dashboard layout is responsive
    # The tea producer's home: its own certificate about to expire (demo TE-003), not the coffee's sales
    tea_home = client_b.get(url)
    assert tea_home.context["month_sales"] == order.lines.get(partner=producer_b).line_price_incl_tax
    assert [c.number for c in tea_home.context["certificates"]] == ["DEMO-SL-2023-TE003"]
    assert not any(c.product.producer_id != producer_b.pk for c in tea_home.context["certificates"])


def test_cancelled_orders_do_not_count_as_sales(client_a):
    from shop.order.services import cancel_order

    order = order_of(("CF-001", 1))
    cancel_order(order=order, reason="Shopper changed their mind")
    page = client_a.get(reverse("dashboard:producer-home"))
    assert page.context["month_sales"] == 0 and page.context["orders"] == []


def test_notices_are_listed_and_marked_read(client_a, producer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_of(("CF-001", 1))
    notices = client_a.get(reverse("dashboard:producer-notices"))
    assert len(notices.context["notices"]) == 1 and "Đơn hàng mới" in notices.content.decode()
    client_a.post(reverse("dashboard:producer-notices"))
    assert not Notification.objects.for_partner(producer_a).unread().exists()
    assert record("CF-001").partner == producer_a


def test_the_my_shop_menu_is_for_producers_only(client_a, admin_client):
    assert reverse("dashboard:producer-stock") in client_a.get(reverse("dashboard:producer-home")).content.decode()
    office = admin_client.get(reverse("dashboard:index")).content.decode()
    assert reverse("dashboard:producer-stock") not in office


def test_a_producer_with_many_products_sees_only_the_certificates_that_need_them(client_a, producer_a):
    """Listing every product's certificate took 1.4 s for a producer of 5,000 products: past 20
    products the home lists the certificates that need the producer, and says so."""
    import datetime as dt

    from catalog_ext import rules
    from catalog_ext.models import Certificate
    from tests.speed.counting import products_of

    calm, expiring, expired = products_of(producer_a, 3)
    products_of(producer_a, 20)
    today = rules.today()
    for product, number, issued, expires in (
            (calm, "CALM-1", today - dt.timedelta(days=30), today + dt.timedelta(days=700)),
            (expiring, "SOON-1", today - dt.timedelta(days=1000), today + dt.timedelta(days=10)),
            (expired, "OLD-1", today - dt.timedelta(days=1200), today - dt.timedelta(days=5))):
        Certificate.objects.create(product=product, stars=4, score=80, number=number, level="province",
                                   issuer="UBND tỉnh Sơn La", issued_on=issued, expires_on=expires)

    home = client_a.get(reverse("dashboard:producer-home"))

    numbers = [c.number for c in home.context["certificate_rows"]]
    assert "SOON-1" in numbers and "OLD-1" in numbers and "CALM-1" not in numbers
    assert all(c.state != "active" or c.expiring for c in home.context["certificate_rows"])
    html = home.content.decode()
    assert 'id="certificates-needing-attention"' in html and "chỉ liệt kê các giấy chứng nhận cần bạn xử lý" in html
