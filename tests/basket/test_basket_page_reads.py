"""The basket page reads what it draws (issue 21, shop/basket/views.py, shop/basket/middleware.py).

Oscar's basket view worked out a shipping quote for a totals box the shop does not draw (the
shipping methods twice, each listing the showrooms; the default address; the default method's
charge; the order total), and read the offers again for its "spend more" messages. The page now
reads the showrooms and Oscar's default address never, the offers and the vouchers once, and
still gives every context value Oscar gives when something asks for it."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.speed.counting import data_queries
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Range, Condition, Benefit, ConditionalOffer = (get_model("offer", name) for name in
                                               ("Range", "Condition", "Benefit", "ConditionalOffer"))


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("gio-hang", "gio.hang@example.vn", "pw-123456-x")
    client.force_login(user)
    _basket_of(client, 10)
    return client


def _page(client):
    client.get(reverse("basket:summary"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return response, data_queries(captured)


def _reading(queries, table):
    return [sql for sql in queries if f'FROM "{table}"' in sql]


def test_the_basket_page_reads_no_shipping_quote_and_the_offers_once(shopper):
    """Fails on Oscar's view: showrooms read twice, offers and vouchers twice, the address once more."""
    response, queries = _page(shopper)
    assert _reading(queries, "showrooms_showroom") == []
    assert len(_reading(queries, "offer_conditionaloffer")) == 1
    assert len(_reading(queries, "voucher_voucher")) == 1
    assert len(_reading(queries, "address_useraddress")) <= 1  # the delivery estimate's own (province only)
    assert _reading(queries, "catalogue_productclass") == []  # joined with the lines (shop/basket/models.py)
    # left out, as they come from the cache with Redis: the session's read (cached_db sessions) and
    # the user's permissions (shop/dashboard/permission_cache.py; two reads with a per-process cache)
    statements = [sql for sql in queries if '"django_session"' not in sql and '"auth_permission"' not in sql]
    assert not [sql for sql in queries if sql.startswith('SELECT "partner_stockrecord"')]  # the web records come with the lines (basket8)
    assert len(statements) == 9, "\n".join(statements)  # 20 with Oscar's view and lines, 12 before basket8
    assert "data-delivery-estimate=" in response.content.decode()


def test_oscars_context_is_still_there_when_asked(shopper):
    response, _ = _page(shopper)
    basket = response.context["basket"]
    assert response.context["shipping_method"].code == "standard"
    assert {m.code for m in response.context["shipping_methods"]} >= {"standard"}
    charge = response.context["shipping_charge"]
    assert not response.context["surcharges"]
    assert response.context["order_total"].incl_tax == basket.total_incl_tax + charge.incl_tax
    assert response.context["order_total"].incl_tax > Decimal(0)


def test_the_spend_more_message_still_shows(shopper):
    """An offer whose condition the basket half meets: its upsell message, from the offers the
    middleware found (no second read)."""
    from django.utils import timezone

    everything = Range.objects.create(name="Mọi sản phẩm", includes_all_products=True)
    ConditionalOffer.objects.create(
        name="Mua 50 tặng 10%", offer_type=ConditionalOffer.SITE,
        start_datetime=timezone.now() - timezone.timedelta(days=1),
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=50),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10))
    response, queries = _page(shopper)
    assert [m["offer"].name for m in response.context["upsell_messages"]] == ["Mua 50 tặng 10%"]
    assert "Mua 50 tặng 10%" in response.content.decode()
    assert len(_reading(queries, "offer_conditionaloffer")) == 1
