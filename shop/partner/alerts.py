"""Oscar's two StockRecord receivers, without the queries a stock movement does not need.

Every change of a record's counts (shop/partner/stock.py) sends post_save, as Oscar's own stock
methods did, and Oscar's receivers then ask the database after each one: `update_stock_alerts` reads
the record's open low-stock alert (one query), `send_product_alerts` ("e-mail me when it is back in
stock") reads the product's stock records and its active alerts (three queries). Placing an order
paid those four queries for every line, under the stock row locks. Here:

- the low-stock alert receiver is Oscar's, but trusts `has_open_stock_alert` when the record carries
  it (lock_stockrecords reads it in the locking query, and this receiver keeps it true after opening
  or closing one): a query only when there is an alert to close or one to open;
- the back-in-stock receiver is Oscar's, skipped after a ledger change that freed no unit (an
  allocation, a hand-over, a write-off: `_ledger_change` = (Δ in stock, Δ allocated)). A product
  cannot come back in stock by losing free units; a shopper's alert is sent when a receipt, a
  release or a correction frees units, as before. Any other save of a record (a form, the admin)
  runs Oscar's receiver unchanged, unless the record was read with `has_active_product_alert`
  False (the producer's stock page reads it with its rows): no shopper waits, nothing to send.
"""
from __future__ import annotations

from django.db.models.signals import post_save
from oscar.apps.customer.alerts import receivers as customer_alert_receivers
from oscar.apps.partner import receivers as partner_receivers
from oscar.core.loading import get_model

StockAlert = get_model("partner", "StockAlert")
StockRecord = get_model("partner", "StockRecord")


def update_stock_alerts(sender, instance, created, **kwargs):
    """Open a low-stock alert when the record falls below its threshold, close it when back above."""
    if created or kwargs.get("raw", False):
        return
    known = instance.__dict__.get("has_open_stock_alert")
    below = instance.is_below_threshold
    if known is False and not below:
        return  # no alert to close, none to open: nothing to read
    alert = StockAlert.objects.filter(stockrecord=instance, status=StockAlert.OPEN).first() if known is not False else None
    if below and alert is None:
        StockAlert.objects.create(stockrecord=instance, threshold=instance.low_stock_threshold)
        instance.has_open_stock_alert = True
    elif not below and alert is not None:
        alert.close()
        instance.has_open_stock_alert = False
    elif known is None:
        instance.has_open_stock_alert = alert is not None


def send_product_alerts(sender, instance, created, **kwargs):
    change = instance.__dict__.pop("_ledger_change", None)
    waiting = instance.__dict__.pop("has_active_product_alert", None)  # read with the (locked) record
    if change is not None and change[0] - change[1] <= 0:
        return  # the free units did not grow (Δ in stock − Δ allocated ≤ 0): nothing is back in stock
    if waiting is False:
        return  # no active alert of the product or its parent: Oscar's receiver would send nothing
    customer_alert_receivers.send_product_alerts(sender, instance, created, **kwargs)


def install() -> None:
    """Put these in place of Oscar's (called from the partner app's ready())."""
    post_save.disconnect(partner_receivers.update_stock_alerts, sender=StockRecord)
    post_save.connect(update_stock_alerts, sender=StockRecord, dispatch_uid="ocop-stock-alerts")
    post_save.disconnect(customer_alert_receivers.send_product_alerts, sender=StockRecord)
    from django.conf import settings

    if settings.OSCAR_EAGER_ALERTS:  # as Oscar connects it
        post_save.connect(send_product_alerts, sender=StockRecord, dispatch_uid="ocop-back-in-stock-alerts")
