"""Where events become notifications: an order placed (Oscar's order_placed signal, sent inside
OrderCreator's transaction) and a stock alert opened (Oscar opens one per threshold crossing)."""
from django.db.models.signals import post_save
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model


def on_order_placed(sender, order, lines=None, **kwargs):
    from .services import queue_new_order

    queue_new_order(order, lines)  # the lines OrderCreator just wrote, when it sends them


def on_stock_alert_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import queue_low_stock

        queue_low_stock(instance)


def connect():
    order_placed.connect(on_order_placed, dispatch_uid="notifications.new_order")
    post_save.connect(on_stock_alert_saved, sender=get_model("partner", "StockAlert"),
                      dispatch_uid="notifications.low_stock")
