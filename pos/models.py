"""The showroom counter: shifts and the cash drawer, the cart being rung up, sales, payments,
returns, and how stock reaches a shelf (transfers) or is corrected (stocktakes).

A sale is an ordinary Oscar order (the order app holds lines, totals, payment sources); PosSale
only says where, when and by whom it was sold. The cart is an Oscar basket (no owner, so Oscar's
basket middleware never picks it up as the cashier's web basket) held by a PosCart.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 12, "decimal_places": 0}

# Vietnamese notes in circulation, counted when a shift closes (largest first).
DENOMINATIONS = (500000, 200000, 100000, 50000, 20000, 10000, 5000, 2000, 1000)

CASH, VIETQR, CARD = "cash", "vietqr", "card"
METHOD_CHOICES = [(CASH, _("Cash")), (VIETQR, _("Bank transfer (VietQR)")), (CARD, _("Card (external terminal)"))]
# Oscar payment source type names of POS money (shown in the order's payment tab).
SOURCE_TYPES = {CASH: "POS cash", VIETQR: "POS VietQR", CARD: "POS card"}


class ShiftQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Shift(models.Model):
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, related_name="shifts",
                                 verbose_name=_("Showroom"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pos_shifts",
                                verbose_name=_("Cashier"))
    opened_at = models.DateTimeField(_("Opened"), auto_now_add=True)
    opening_float = models.DecimalField(_("Opening float"), **MONEY)
    closed_at = models.DateTimeField(_("Closed"), null=True, blank=True)
    counted = models.JSONField(_("Notes counted"), default=dict, blank=True,
                               help_text=_("Denomination -> number of notes, counted at close."))
    counted_total = models.DecimalField(_("Cash counted"), null=True, blank=True, **MONEY)
    expected = models.DecimalField(_("Cash expected"), null=True, blank=True, **MONEY)
    difference = models.DecimalField(_("Difference"), null=True, blank=True, **MONEY)
    note = models.TextField(_("Note"), blank=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ("-opened_at",)
        verbose_name = _("Shift")
        verbose_name_plural = _("Shifts")
        # One open shift per cashier: the drawer they count is theirs.
        constraints = [models.UniqueConstraint(fields=["cashier"], condition=models.Q(closed_at__isnull=True),
                                               name="pos_one_open_shift_per_cashier")]

    def __str__(self):
        return f"{self.showroom} · {self.cashier} · {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CashMovement(models.Model):
    IN, OUT = "in", "out"
    KIND_CHOICES = [(IN, _("Cash in")), (OUT, _("Cash out"))]

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="movements", verbose_name=_("Shift"))
    kind = models.CharField(_("Direction"), max_length=3, choices=KIND_CHOICES)
    amount = models.DecimalField(_("Amount"), **MONEY)
    reason = models.CharField(_("Reason"), max_length=200)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)
    refund = models.OneToOneField("pos.PosReturn", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="cash_movement", verbose_name=_("Return"))

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("Cash movement")
        verbose_name_plural = _("Cash movements")

    @property
    def signed(self) -> Decimal:
        return self.amount if self.kind == self.IN else -self.amount


class PosCart(models.Model):
    """The cart on a cashier's counter, kept on the server so a refresh or a second tab sees the
    same one. `version` goes up on every change: completing a cart names the version the cashier
    saw, so a tab showing an older cart cannot sell it."""

    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pos_carts",
                                verbose_name=_("Cashier"))
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.CASCADE, related_name="carts",
                                 verbose_name=_("Showroom"))
    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, related_name="pos_cart",
                                  verbose_name=_("Basket"))
    version = models.PositiveIntegerField(_("Version"), default=1)
    discount = models.DecimalField(_("Discount"), default=0, **MONEY)
    discount_reason = models.CharField(_("Discount reason"), max_length=200, blank=True)
    customer_phone = models.CharField(_("Customer phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Counter cart")
        verbose_name_plural = _("Counter carts")
        constraints = [models.UniqueConstraint(fields=["cashier", "showroom"], name="pos_one_cart_per_counter")]


class PosSale(models.Model):
    CHANNEL = "pos"

    order = models.OneToOneField("order.Order", on_delete=models.PROTECT, related_name="pos_sale",
                                 verbose_name=_("Order"))
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, related_name="sales",
                                 verbose_name=_("Showroom"))
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="sales", verbose_name=_("Shift"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pos_sales",
                                verbose_name=_("Cashier"))
    channel = models.CharField(_("Channel"), max_length=8, default=CHANNEL, editable=False)
    customer_phone = models.CharField(_("Customer phone"), max_length=20, blank=True)
    discount = models.DecimalField(_("Discount"), default=0, **MONEY)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("Counter sale")
        verbose_name_plural = _("Counter sales")

    def __str__(self):
        return self.order.number

    @property
    def change(self) -> Decimal:
        return sum((p.change for p in self.payments.all()), Decimal(0))


class PosPayment(models.Model):
    sale = models.ForeignKey(PosSale, on_delete=models.CASCADE, related_name="payments", verbose_name=_("Sale"))
    method = models.CharField(_("Payment method"), max_length=8, choices=METHOD_CHOICES)
    amount = models.DecimalField(_("Amount"), **MONEY)  # what this payment pays of the order
    tendered = models.DecimalField(_("Tendered"), default=0, **MONEY)  # cash handed over
    change = models.DecimalField(pgettext_lazy("cash given back", "Change"), default=0, **MONEY)
    reference = models.CharField(_("Reference"), max_length=64, blank=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("Counter payment")
        verbose_name_plural = _("Counter payments")


class PosReturn(models.Model):
    sale = models.ForeignKey(PosSale, on_delete=models.PROTECT, related_name="returns", verbose_name=_("Sale"))
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="returns", verbose_name=_("Shift"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Cashier"))
    reason = models.CharField(_("Reason"), max_length=200)
    amount = models.DecimalField(_("Refunded"), **MONEY)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("Return")
        verbose_name_plural = _("Returns")


class PosReturnLine(models.Model):
    pos_return = models.ForeignKey(PosReturn, on_delete=models.CASCADE, related_name="lines",
                                   verbose_name=_("Return"))
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="pos_returns",
                             verbose_name=_("Order line"))
    quantity = models.PositiveIntegerField(_("Quantity"))
    amount = models.DecimalField(_("Refunded"), **MONEY)


class Transfer(models.Model):
    """Goods a producer brings to a showroom's shelf."""

    producer = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="transfers_out",
                                 verbose_name=_("Producer"))
    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, related_name="transfers_in",
                                 verbose_name=_("Showroom"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Recorded by"))
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)
    reference = models.CharField(_("Reference"), max_length=64, blank=True,
                                 help_text=_("Delivery note number; one transfer per reference and showroom."))
    note = models.TextField(_("Note"), blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("Transfer")
        verbose_name_plural = _("Transfers")
        constraints = [models.UniqueConstraint(fields=["showroom", "reference"], condition=~models.Q(reference=""),
                                               name="pos_transfer_reference_unique")]


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines",
                                 verbose_name=_("Transfer"))
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Product"))
    quantity = models.PositiveIntegerField(_("Quantity"))


class StocktakeLine(models.Model):
    """A shelf count that corrected the stock, with why."""

    showroom = models.ForeignKey("showrooms.Showroom", on_delete=models.PROTECT, related_name="stocktakes",
                                 verbose_name=_("Showroom"))
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Product"))
    before = models.IntegerField(_("In stock before"))
    counted = models.PositiveIntegerField(_("Counted"))
    reason = models.CharField(_("Reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Counted by"))
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("Stocktake line")
        verbose_name_plural = _("Stocktake lines")


class PickupPayment(models.Model):
    """Money taken at the counter for an online order collected here (pickups/): in the shift's
    drawer like a sale's, but the order is the shopper's online order, not a counter sale."""

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="pickup_payments",
                              verbose_name=_("Shift"))
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="pickup_payments",
                              verbose_name=_("Order"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("Cashier"))
    method = models.CharField(_("Payment method"), max_length=8, choices=METHOD_CHOICES)
    amount = models.DecimalField(_("Amount"), **MONEY)
    tendered = models.DecimalField(_("Tendered"), default=0, **MONEY)
    change = models.DecimalField(pgettext_lazy("cash given back", "Change"), default=0, **MONEY)
    reference = models.CharField(_("Reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("Pick-up payment")
        verbose_name_plural = _("Pick-up payments")
