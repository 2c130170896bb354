"""The page frame of every uncached page (issue 21, branch `frame`): its fixed parts (brand, search
box, navigation, footer: `{% frame_fixed %}`) are drawn once per language and process, and Oscar's
unread-notifications count is read only when a template shows it. The HTML a visitor sees is the
one the frame's templates drew before (kept in tests/listing/frame_templates/)."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.catalog_ext.storefront.helpers import product
from tests.listing.test_kept_visitor_parts import _customer
from tests.page_parts import comparable

pytestmark = pytest.mark.django_db
OLD_TEMPLATES = Path(__file__).parent / "frame_templates"
_normal = comparable


def _old_frame(settings):
    """The frame's templates as they were before frame_fixed, found before the shop's."""
    templates = [dict(t, DIRS=[OLD_TEMPLATES, *t["DIRS"]]) for t in django_settings.TEMPLATES]
    settings.TEMPLATES = templates


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_frame_draws_the_html_it_drew_before(settings, language):
    coffee = product("CF-001")
    anna, user = _customer()
    get_model("communication", "Notification").objects.create(recipient=user, subject="Đơn hàng đã giao")
    anna.post(f"/basket/add/{coffee.pk}/", {"quantity": 2})
    anonymous = Client()
    anna.cookies["django_language"] = anonymous.cookies["django_language"] = language
    urls = [(anna, reverse("customer:order-list")), (anna, reverse("basket:summary")),
            (anna, reverse("customer:profile-view")), (anonymous, reverse("basket:summary")),
            (anonymous, "/catalogue/"), (anonymous, reverse("order-tracking:form"))]
    for client, url in urls:  # the "added to your basket" message is shown once, here
        client.get(url)
    new = [_normal(client.get(url).content.decode()) for client, url in urls]
    again = [_normal(client.get(url).content.decode()) for client, url in urls]  # from the kept drawings
    _old_frame(settings)
    old = [_normal(client.get(url).content.decode()) for client, url in urls]
    for (_client, url), before, first, second in zip(urls, old, new, again, strict=True):
        assert 'class="site-footer"' in before and 'class="site-nav"' in before, url
        assert first == before, url
        assert second == before, url
    assert '<span class="count">1</span>' in new[0]  # the count, read where it shows


def test_the_fixed_parts_follow_the_language():
    vi, en = Client(), Client()
    en.cookies["django_language"] = "en"
    for _round in range(2):
        assert "Tất cả sản phẩm" in vi.get(reverse("order-tracking:form")).content.decode()
        assert "All products" in en.get(reverse("order-tracking:form")).content.decode()


def test_the_notification_count_is_asked_only_when_a_template_reads_it():
    """Oscar's context processor counted a customer's unread notifications on every page; only the
    header's account link shows the count, and a page whose header comes from the kept drawing
    does not draw it. (Fails on the old code: one count query per signed-in page.)"""
    anna, user = _customer()
    get_model("communication", "Notification").objects.create(recipient=user, subject="Đơn hàng đã giao")
    from shop.context_processors import notifications

    request = Client().get("/").wsgi_request
    request.user = user
    with CaptureQueriesContext(connection) as captured:
        context = notifications(request)
    assert not captured.captured_queries
    with CaptureQueriesContext(connection) as captured:
        assert int(str(context["num_unread_notifications"])) == 1
    assert len(captured.captured_queries) == 1
