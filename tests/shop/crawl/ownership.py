"""Which rows belong to a signed-in user: the crawler fills URLs with the role's own objects and
with other users' objects, and allows a request to change only the former."""
from __future__ import annotations

from django.db.models import Q

# model label -> the rows `user` is associated with. A model not listed is shared (the catalogue,
# settings): nobody owns its rows, so a role without authority over it may change none of them.
_MINE = {
    "auth.User": lambda u: Q(pk=u.pk),
    "order.Order": lambda u: (Q(user=u) | Q(lines__partner__users=u) | Q(pos_sale__showroom__staff__user=u)
                              | Q(pickup__showroom__staff__user=u)),
    "order.Line": lambda u: (Q(order__user=u) | Q(partner__users=u) | Q(order__pos_sale__showroom__staff__user=u)
                             | Q(order__pickup__showroom__staff__user=u)),
    "order.OrderNote": lambda u: Q(order__user=u) | Q(order__lines__partner__users=u),
    "order.ShippingAddress": lambda u: Q(order__user=u) | Q(order__lines__partner__users=u),
    # A producer who hands a COD parcel over records the cash collected (shop/order/lifecycle.py); a
    # showroom's staff take a pick-up's payment at the counter.
    "payment.Source": lambda u: (Q(order__user=u) | Q(order__pos_sale__showroom__staff__user=u)
                                 | Q(order__lines__partner__users=u) | Q(order__pickup__showroom__staff__user=u)),
    "payment.Transaction": lambda u: (Q(source__order__user=u) | Q(source__order__pos_sale__showroom__staff__user=u)
                                      | Q(source__order__pickup__showroom__staff__user=u)),
    "order.PaymentEvent": lambda u: (Q(order__user=u) | Q(order__pos_sale__showroom__staff__user=u)
                                     | Q(order__lines__partner__users=u) | Q(order__pickup__showroom__staff__user=u)),
    "payment.OrderPayment": lambda u: Q(order__user=u) | Q(order__pos_sale__showroom__staff__user=u),
    "partner.StockRecord": lambda u: Q(partner__users=u) | Q(partner__showroom__staff__user=u),
    "partner.Partner": lambda u: Q(users=u) | Q(showroom__staff__user=u),
    "partner.StockAlert": lambda u: Q(stockrecord__partner__users=u) | Q(stockrecord__partner__showroom__staff__user=u),
    "catalogue.Product": lambda u: Q(producer__users=u),
    "catalog_ext.Certificate": lambda u: Q(product__producer__users=u),
    "catalog_ext.GILicence": lambda u: Q(producer__users=u),
    "showrooms.Showroom": lambda u: Q(staff__user=u),
    "showrooms.ShowroomStaff": lambda u: Q(user=u),
    "pos.Shift": lambda u: Q(showroom__staff__user=u),
    "pos.CashMovement": lambda u: Q(shift__showroom__staff__user=u),
    "pos.PosCart": lambda u: Q(cashier=u),
    "pos.PosSale": lambda u: Q(showroom__staff__user=u),
    "pos.PosPayment": lambda u: Q(sale__showroom__staff__user=u),
    "pos.PosReturn": lambda u: Q(shift__showroom__staff__user=u),
    "pos.Transfer": lambda u: Q(showroom__staff__user=u),
    "pos.StocktakeLine": lambda u: Q(showroom__staff__user=u),
    "pos.PickupPayment": lambda u: Q(shift__showroom__staff__user=u),
    "pickups.Pickup": lambda u: Q(showroom__staff__user=u),
    "pickups.Receipt": lambda u: Q(pickup__showroom__staff__user=u),
    "basket.Basket": lambda u: Q(owner=u) | Q(pos_cart__cashier=u),
    "basket.Line": lambda u: Q(basket__owner=u) | Q(basket__pos_cart__cashier=u),
    "address.UserAddress": lambda u: Q(user=u),
    "wishlists.WishList": lambda u: Q(owner=u),
    "wishlists.Line": lambda u: Q(wishlist__owner=u),
    "customer.ProductAlert": lambda u: Q(user=u),
    "communication.Email": lambda u: Q(user=u),
    "communication.Notification": lambda u: Q(recipient=u),
    "reviews.ProductReview": lambda u: Q(user=u),
    "notifications.Notification": lambda u: Q(partner__users=u),
    "producer_portal.StockImport": lambda u: Q(partner__users=u),
    "carriers.Shipment": lambda u: Q(partner__users=u),
    "catalog_ext.CertificateImport": lambda u: Q(created_by=u),
    "settlement.Entry": lambda u: Q(producer__users=u),
    "settlement.BankAccount": lambda u: Q(producer__users=u),
    "settlement.BankAccountChange": lambda u: Q(producer__users=u),
    "settlement.Payout": lambda u: Q(producer__users=u),
}


def mine(model, user) -> Q | None:
    """The rows of `model` that are `user`'s; None when the model has no owner or nobody is signed in."""
    rule = _MINE.get(model._meta.label)
    if rule is None or user is None:
        return None
    return rule(user)


def split(model, user):
    """(one of user's own rows, one row that is not theirs), either None when there is none."""
    rows = model._default_manager.order_by("pk")
    q = mine(model, user)
    if q is None:
        return None, rows.first()
    own_pks = rows.filter(q).values("pk")
    return rows.filter(pk__in=own_pks).first(), rows.exclude(pk__in=own_pks).first()
