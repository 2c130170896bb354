"""The checkout's pre-check and the lines drawn ask each line's stock and price once (issue 21:
shop/basket/lines.py, shop/checkout/session.py `check_basket_is_valid`). Oscar's pre-check asked the
strategy afresh for every line, then the page's prices and its lines asked again: three asks a line
on the review page. The pre-check's answer must stay Oscar's: same refusal, same messages, in order."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as OscarCheckoutSessionMixin
from oscar.core.loading import get_model

from shop.checkout.session import CheckoutSessionMixin
from shop.partner import strategy as shop_strategy
from tests.checkout.payment_methods.checkout import choose_payment, start_guest_checkout

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
LINES = (("CF-001", 2), ("DF-005", 1))


@pytest.fixture
def at_review(client):
    start_guest_checkout(client, LINES)
    assert choose_payment(client, "cod").status_code == 302
    return client


def test_the_review_asks_each_line_once(at_review, monkeypatch):
    """Fails on the old code: 3 asks a line (Oscar's pre-check, the prices, the drawn lines)."""
    asked = []
    fetch = shop_strategy.PrefetchBasketLines.fetch_for_line

    def counted(self, line, stockrecord=None):
        asked.append(line.pk)
        return fetch(self, line, stockrecord)

    monkeypatch.setattr(shop_strategy.PrefetchBasketLines, "fetch_for_line", counted)
    page = at_review.get(reverse("checkout:preview"))
    assert page.status_code == 200
    assert len(asked) == len(LINES) == len(set(asked))


def _refusals(view_class, request):
    view = view_class()
    view.request = request
    try:
        view.check_basket_is_valid(request)
    except exceptions.FailedPreCondition as refused:
        return refused.url, list(refused.messages)
    return None


@pytest.mark.parametrize("stock", [{}, {"CF-001": 1}, {"CF-001": 1, "DF-005": 0}])
def test_the_pre_check_answers_as_oscars(at_review, stock):
    for sku, level in stock.items():
        StockRecord.objects.filter(partner_sku=sku).update(num_in_stock=level, num_allocated=0)
    request = at_review.get(reverse("checkout:preview")).wsgi_request
    ours, oscars = _refusals(CheckoutSessionMixin, request), _refusals(OscarCheckoutSessionMixin, request)
    assert ours == oscars
    if stock:
        assert ours[0] == reverse("basket:summary") and len(ours[1]) == len(stock)
    else:
        assert ours is None


def test_a_line_short_of_stock_sends_back_to_the_basket_with_oscars_message(at_review):
    StockRecord.objects.filter(partner_sku="CF-001").update(num_in_stock=1, num_allocated=0)
    page = at_review.get(reverse("checkout:preview"))
    assert page.status_code == 302 and page["Location"] == reverse("basket:summary")
    texts = [str(message) for message in get_messages(page.wsgi_request)]
    assert len(texts) == 1 and "Vui lòng điều chỉnh giỏ hàng của bạn để tiếp tục" in texts[0], texts  # Oscar's msgid, in Vietnamese
