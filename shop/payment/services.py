"""Recording how an order is to be paid (the payment itself: shop/order/services.py)."""
from shop.payment import methods
from shop.payment.models import OrderPayment


def record_payment_choice(*, order, method: str, cod_inspection: bool = False) -> OrderPayment:
    if method not in methods.LABELS:
        raise ValueError(f"Unknown payment method {method!r}")
    choice, _ = OrderPayment.objects.update_or_create(
        order=order, defaults={"method": method, "cod_inspection": cod_inspection and method == methods.COD})
    return choice
