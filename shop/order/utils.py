"""Oscar's OrderCreator with stock checked and locked up front, before any order row is written,
and each order line's units held through the stock ledger (shop/partner/stock.py).

The order's rows are written per kind, not per line (issue 21: 100 orders a second): Oscar's
`place_order` creates each line with its price rows, attributes and discounts, then allocates it,
then its receivers re-read the lines, about eleven queries per line while the stock rows are
locked. Here the lines, their prices, attributes and discounts are each one INSERT, the allocation
one UPDATE and one INSERT of movements (stock.allocate_lines), and the lines go to the
`order_placed` receivers with the signal (`lines=`), so they are not read again. The rows are the
ones Oscar writes; only the number of statements changes (tests/order_life/test_place_order_queries.py
pins it: the same for 1 and 10 lines).
"""
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from oscar.apps.order import utils as oscar_utils
from oscar.apps.order.signals import order_placed
from oscar.apps.order.utils import *  # noqa: F401,F403
from oscar.core.loading import get_model

from notifications.services import NEW_ORDER_PARTNER_RELATED
from shop.partner import stock

Order = get_model("order", "Order")
Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")
OrderLineDiscount = get_model("order", "OrderLineDiscount")


def pickup_showroom(shipping_method):
    """The showroom of a pick-up method (its code names it, even inside Oscar's discount wrapper)."""
    from shop.shipping.methods import showroom_id_from_code
    from showrooms.models import Showroom

    showroom_id = showroom_id_from_code(getattr(shipping_method, "code", None))
    return Showroom.objects.filter(pk=showroom_id).first() if showroom_id else None


class OrderCreator(oscar_utils.OrderCreator):
    def place_order(self, basket, total, shipping_method, shipping_charge, user=None, shipping_address=None,
                    billing_address=None, order_number=None, status=None, request=None, surcharges=None, **kwargs):
        """Oscar's place_order (same arguments, checks, rows and signal), in one transaction of our own
        so it is all-or-nothing outside a request too (tasks, POS, the bench); inside a request
        (ATOMIC_REQUESTS) it is a savepoint that InsufficientStock rolls back."""
        if basket.is_empty:
            raise ValueError(_("Empty baskets cannot be submitted"))
        order_number = order_number or oscar_utils.OrderNumberGenerator().order_number(basket)
        status = status or getattr(settings, "OSCAR_INITIAL_ORDER_STATUS", None)
        try:
            return self._place(basket, total, shipping_method, shipping_charge, user, shipping_address,
                               billing_address, order_number, status, request, surcharges, **kwargs)
        except IntegrityError:
            # The number is unique in the database: a second order with it is refused there, and
            # everything of this one rolled back (Oscar asked first, one more query for every order).
            if Order._default_manager.filter(number=order_number).exists():
                raise ValueError(_("There is already an order with number %s") % order_number) from None
            raise

    def _place(self, basket, total, shipping_method, shipping_charge, user, shipping_address, billing_address,
               order_number, status, request, surcharges, **kwargs):
        with transaction.atomic():
            from_shelf = False
            showroom = pickup_showroom(shipping_method)
            if showroom is not None:  # served from its shelf where it has the goods (pickups/)
                from pickups.stock_moves import route_basket_to_shelf

                from_shelf = route_basket_to_shelf(basket, showroom)
            # Locked and checked before any order row is written: a short line costs no order number.
            # The producers' rows come with the stock rows, with what their notifications read.
            locked = stock.lock_for_basket(basket.all_lines(), partner_related=NEW_ORDER_PARTNER_RELATED)
            order = self.create_order_model(user, basket, shipping_address, shipping_method, shipping_charge,
                                            billing_address, total, order_number, status, request,
                                            surcharges=surcharges, **kwargs)
            self.record_vouchers_and_offers(order, basket, user, shipping_method)
            lines = self.create_lines(order, basket.all_lines(), locked=locked)
            stock.allocate_lines(lines, records=locked, actor=user)
            # Inside the transaction (its receivers write the producers' notifications, which must
            # commit with the order). `lines`: our receivers take them from here, not from a query.
            order_placed.send(sender=self, order=order, user=user, lines=lines)
            if order.pickup_showroom_id:
                from pickups.services import open_pickup

                open_pickup(order=order, from_shelf=from_shelf)
        return order

    def record_vouchers_and_offers(self, order, basket, user, shipping_method):
        """Oscar's voucher and offer steps of place_order, the basket's vouchers read (and locked) once, or
        not at all when the basket knows it has none (shop/basket/models.py)."""
        vouchers = []
        # A basket known to have none (its vouchers read in this request, or just made) has none to lock.
        for voucher in [] if basket.vouchers_known_to_be_none() else basket.vouchers.select_for_update():
            if not voucher.is_active():  # basket ignores inactive vouchers
                basket.vouchers.remove(voucher)
                continue
            available_to_user, msg = voucher.is_available_to_user(user=user)
            if not available_to_user:
                raise ValueError(msg)
            vouchers.append(voucher)
        for application in basket.offer_applications:
            application["message"] = application["offer"].apply_deferred_benefit(basket, order, application)
            if application["result"].affects_shipping:
                shipping_discount = shipping_method.discount(basket)
                if shipping_discount <= Decimal("0.00"):
                    continue  # Oscar skips zero shipping discounts
                application["discount"] = shipping_discount
            self.create_discount_model(order, application)
            self.record_discount(application)
        for voucher in vouchers:
            self.record_voucher_usage(order, voucher, user)

    def create_lines(self, order, basket_lines, *, locked, extra_line_fields=None) -> list:
        """Every order line with its price breakdown, options and discounts: Oscar's create_line_models
        for all lines at once, one INSERT per kind of row. `locked`: the stock records lock_for_basket
        read under the lock (fresh partner name and SKU); the partner of any other record is read
        for all of them in one query."""
        basket_lines = list(basket_lines)
        for basket_line in basket_lines:
            if not basket_line.stockrecord_id:
                raise oscar_utils.exceptions.UnableToPlaceOrder(f"Basket line #{basket_line.id} has no stockrecord")
            if basket_line.stockrecord_id in locked:
                basket_line.stockrecord = locked[basket_line.stockrecord_id]
        prefetch_related_objects([basket_line.stockrecord for basket_line in basket_lines], "partner")
        lines = Line._default_manager.bulk_create([Line(**self.line_data(order, basket_line, extra_line_fields))
                                                   for basket_line in basket_lines])
        prices, attributes, discounts = [], [], []
        order_discounts = None
        for line, basket_line in zip(lines, basket_lines, strict=True):
            prices += [LinePrice(order=order, line=line, quantity=quantity, price_incl_tax=incl, price_excl_tax=excl,
                                 tax_code=basket_line.tax_code)
                       for incl, excl, quantity in basket_line.get_price_breakdown()]
            attributes += [LineAttribute(line=line, option=attr.option, type=attr.option.code, value=attr.value)
                           for attr in basket_line.attributes.all()]
            for discount in basket_line.discounts:
                if not discount.offer:
                    continue
                if order_discounts is None:  # the order's discounts were just written: read them once
                    order_discounts = {}
                    for order_discount in order.discounts.order_by("pk"):
                        order_discounts.setdefault(order_discount.offer_id, order_discount)
                # Oscar: no order discount for the offer, no line discount (the total is still on the order)
                if discount.offer.id in order_discounts:
                    discounts.append(OrderLineDiscount(line=line, order_discount=order_discounts[discount.offer.id],
                                                       is_incl_tax=discount.incl_tax, amount=discount.amount))
        LinePrice._default_manager.bulk_create(prices)
        if attributes:
            LineAttribute._default_manager.bulk_create(attributes)
        if discounts:
            OrderLineDiscount._default_manager.bulk_create(discounts)
        return lines

    def line_data(self, order, basket_line, extra_line_fields=None) -> dict:
        """The fields Oscar's create_line_models gives an order line."""
        product, stockrecord = basket_line.product, basket_line.stockrecord
        partner = stockrecord.partner
        data = {
            "order": order,
            "partner": partner,
            "partner_name": partner.name,
            "partner_sku": stockrecord.partner_sku,
            "stockrecord": stockrecord,
            "product": product,
            "title": product.get_title(),
            "upc": product.upc,
            "quantity": basket_line.quantity,
            "line_price_excl_tax": basket_line.line_price_excl_tax_incl_discounts,
            "line_price_incl_tax": basket_line.line_price_incl_tax_incl_discounts,
            "line_price_before_discounts_excl_tax": basket_line.line_price_excl_tax,
            "line_price_before_discounts_incl_tax": basket_line.line_price_incl_tax,
            "unit_price_incl_tax": basket_line.unit_price_incl_tax,
            "unit_price_excl_tax": basket_line.unit_price_excl_tax,
            "tax_code": basket_line.tax_code,
            "num_allocated": basket_line.quantity,
        }
        if hasattr(settings, "OSCAR_INITIAL_LINE_STATUS"):
            data["status"] = settings.OSCAR_INITIAL_LINE_STATUS
        data.update(extra_line_fields or {})
        return data

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        """One line on its own (Oscar's hook, for anyone calling it): written as place_order writes
        them, its units held (never an order line that holds nothing)."""
        with transaction.atomic():
            locked = stock.lock_for_basket([basket_line])
            (line,) = self.create_lines(order, [basket_line], locked=locked, extra_line_fields=extra_line_fields)
            stock.allocate_lines([line], records=locked, actor=order.user)
        return line

    def update_stock_records(self, line):
        """Nothing: place_order allocated every order line through the stock ledger."""
