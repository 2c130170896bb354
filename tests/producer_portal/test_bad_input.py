"""A producer's forms answer bad input with the page and a message, never a 500 (found by the
bad-input crawl, tests/shop/test_bad_input_crawl.py), and bad input changes nothing."""
import pytest
from django.urls import reverse

from notifications.models import Notification
from shop.order import statuses

from .conftest import order_of

pytestmark = pytest.mark.django_db


def test_a_product_form_posted_without_its_stock_formset_is_shown_again(client_a, producer_a):
    product = producer_a.stockrecords.first().product
    page = client_a.post(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}), {"title": ""})
    assert page.status_code == 200
    assert page.context["stockrecord_formset"].non_form_errors()
    product.refresh_from_db()
    assert product.title


def test_a_new_product_form_posted_without_its_stock_formset_is_shown_again(client_a, producer_a):
    before = producer_a.stockrecords.count()
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "ocop"})
    page = client_a.post(url, {"title": "Chè thử"})
    assert page.status_code == 200
    assert producer_a.stockrecords.count() == before


def test_notices_marked_with_ids_that_are_no_numbers_mark_nothing(client_a, producer_a,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_of(("CF-001", 1))
    answer = client_a.post(reverse("dashboard:producer-notices"), {"id": ["../../etc/passwd", ""]})
    assert answer.status_code == 302
    assert Notification.objects.for_partner(producer_a).unread().count() == 1


def test_packing_lines_with_an_id_that_is_no_number_packs_nothing_and_says_why(client_a):
    order = order_of(("CF-002", 1))
    url = reverse("dashboard:producer-order", kwargs={"number": order.number})
    answer = client_a.post(url, {"action": "pack", "line": ["", "abc"]}, follow=True)
    assert answer.status_code == 200
    assert "Một số dòng này không phải của bạn." in answer.content.decode()
    assert not order.lines.filter(status=statuses.LINE_PACKED).exists()
