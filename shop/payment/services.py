"""Recording how an order is to be paid (the payment itself: shop/order/services.py)."""
from shop.payment import methods
from shop.payment.models import OrderPayment


def record_payment_choice(*, order, method: str, cod_inspection: bool = False, fresh: bool = False) -> OrderPayment:
    """The order's one payment choice, made or changed. `fresh`: the order was placed in this
    transaction (the checkout), so it has no choice yet: one INSERT, where update_or_create reads
    the row (locked) and inserts it in two savepoints."""
    if method not in methods.LABELS:
        raise ValueError(f"Unknown payment method {method!r}")
    fields = {"method": method, "cod_inspection": cod_inspection and method == methods.COD}
    if fresh:
        return OrderPayment.objects.create(order=order, **fields)
    choice, _ = OrderPayment.objects.update_or_create(order=order, defaults=fields)
    return choice
