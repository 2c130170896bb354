"""Checkout side effects that run after the order transaction commits."""
import logging

from celery import shared_task
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from core.site_links import absolute
from shop.order import statuses

Order = get_model("order", "Order")
Site = get_model("sites", "Site")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
logger = logging.getLogger(__name__)


def order_placed_context(order, site_root: str | None = None) -> dict:
    """What Oscar's ORDER_PLACED templates expect, rebuilt from the order alone (no request in a
    worker); `site_root`: where the shopper placed it (core.site_links), for the links."""
    ctx = {"user": order.user, "order": order, "lines": order.lines.all(), "site": Site.objects.get_current(),
           "site_root": site_root}
    try:
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse("customer:anon-order",
                           kwargs={"order_number": order.number, "hash": order.verification_hash()})
    except NoReverseMatch:
        return ctx
    ctx["status_path"] = path
    ctx["status_url"] = absolute(path, site_root)
    return ctx


@shared_task(name="shop.checkout.tasks.send_order_placed_email")
def send_order_placed_email(order_id: int, language: str = "vi", site_root: str | None = None):
    """The order confirmation, with how to pay (shop/checkout/payment_views.py enqueues it on commit)."""
    order = Order.objects.filter(pk=order_id).select_related("user", "payment_choice").first()
    if order is None or order.status == statuses.CANCELLED:
        return  # e.g. a card payment that could not start: the shopper was told on the page
    with translation.override(language):
        OrderDispatcher().send_order_placed_email_for_user(order, order_placed_context(order, site_root))


def queue_order_placed_email(order_id: int, language: str, site_root: str | None = None) -> None:
    """After the order committed: the worker sends the confirmation. A broker that is down must
    neither turn the placed order into an error page (found by tests/shop/test_faults.py) nor lose
    the shopper's confirmation: it is then sent from here."""
    try:
        send_order_placed_email.delay(order_id, language, site_root)
    except Exception:
        logger.warning("Broker unavailable: order confirmation %s sent from the web process", order_id,
                       exc_info=True)
        send_order_placed_email(order_id, language, site_root)
