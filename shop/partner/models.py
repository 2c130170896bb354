"""Partners are producers (and, later, showrooms). The producer profile hangs off Oscar's partner:
the dashboard's partner scoping keeps working, and the shop has one notion of "who sells this"."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractPartnerAddress
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

from catalog_ext.choices import ProducerKind
from shop.address.postcodes import VietnamesePostcodes


class Partner(AbstractPartner):
    kind = models.CharField(_("Producer type"), max_length=16, choices=ProducerKind.choices, blank=True)
    ward_code = models.PositiveIntegerField(_("Ward or commune"), null=True, blank=True, db_index=True,
                                            help_text=_("Current two-level unit (since 1 July 2025)."))
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("Contact e-mail"), blank=True)
    story = models.TextField(_("Story"), blank=True, help_text=_("Who makes it, and where."))
    logo = models.ImageField(_("Logo"), upload_to="producers/", blank=True, max_length=255)

    class Meta(AbstractPartner.Meta):
        pass

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.pk:  # name and commune are part of what search matches
            from catalog_ext.search_text import refresh_search_text

            refresh_search_text(self.produced_products.all())
            from catalog_ext.badge_periods import products_of_producer, refresh

            refresh(products_of_producer(self.pk))  # the commune decides whether a GI licence counts

    def get_absolute_url(self):
        return reverse("producers:detail", kwargs={"slug": self.code})

    @property
    def commune(self) -> str:
        from core.places import ward_name

        return ward_name(self.ward_code)

    @property
    def is_producer(self) -> bool:
        return bool(self.kind)


class PartnerAddress(VietnamesePostcodes, AbstractPartnerAddress):
    class Meta(AbstractPartnerAddress.Meta):
        pass



class StockRecord(AbstractStockRecord):
    class Meta(AbstractStockRecord.Meta):
        constraints = [
            # The last line against overselling, whatever code path writes the row (shop/partner/stock.py
            # is the first). NULL num_allocated means "nothing allocated" (Oscar's field is nullable);
            # NULL num_in_stock compares as unknown, which a CHECK lets through: an untracked record.
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True) | Q(num_allocated__gte=0, num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_within_stock",
                violation_error_message=_("More units allocated than in stock."),
            ),
        ]
        indexes = [
            # The producer home's low-stock list (producer_portal/summary.py, low_stock): only the rows
            # below their threshold, in the list's order. Without it the home read all of a producer's
            # records (24 ms at 5,000; 0.1 ms with it; issue 21). The condition is the query's own.
            models.Index(
                fields=["partner", "num_in_stock"], name="stockrecord_low_stock",
                condition=Q(low_stock_threshold__isnull=False)
                & Q(LessThan(F("num_in_stock") - Coalesce(F("num_allocated"), 0), F("low_stock_threshold"))),
            ),
        ]

    # The stock counts are written only by shop/partner/stock.py (F() updates under the row lock, each
    # with its StockMovement). A whole-row save() elsewhere (a form, the admin, Oscar's alerts) would
    # write back counts read before another transaction changed them: save() leaves them out, and a
    # count changed on the instance is refused rather than silently written or dropped.
    STOCK_FIELDS = ("num_in_stock", "num_allocated")

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._loaded_counts = {f: getattr(record, f) for f in cls.STOCK_FIELDS if f in field_names}
        return record

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        loaded = self.__dict__.setdefault("_loaded_counts", {})
        for name in self.STOCK_FIELDS:
            if fields is None or name in fields:
                loaded[name] = getattr(self, name)

    def save(self, *args, **kwargs):
        if self._state.adding:
            # A new record starts its ledger with what it was created with, in the same transaction.
            from shop.partner import stock

            with transaction.atomic():
                super().save(*args, **kwargs)
                stock.record_created(self, actor=getattr(self, "_stock_actor", None))
                self._loaded_counts = {f: getattr(self, f) for f in self.STOCK_FIELDS}
            return
        loaded = getattr(self, "_loaded_counts", {})
        changed = [f for f in self.STOCK_FIELDS if f in loaded and getattr(self, f) != loaded[f]]
        if changed:
            raise StockWriteOutsideLedger(
                f"StockRecord #{self.pk}: {', '.join(changed)} changed outside shop.partner.stock "
                "(use stock.set_counted/adjust, which write the StockMovement)")
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            deferred = self.get_deferred_fields()
            update_fields = [f.attname for f in self._meta.concrete_fields
                             if not f.primary_key and f.attname not in self.STOCK_FIELDS and f.attname not in deferred]
        else:
            update_fields = [f for f in update_fields if f not in self.STOCK_FIELDS]
            if not update_fields:
                return
        kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)

    def clean(self):
        # Forms (the dashboard's stock form has no num_allocated field, so Django skips the constraint
        # there) get a message rather than an IntegrityError.
        super().clean()
        if self.num_allocated and self.num_in_stock is not None and self.num_in_stock < self.num_allocated:
            raise ValidationError({"num_in_stock": _("%(count)d units are allocated to orders: the stock cannot be "
                                                     "lower.") % {"count": self.num_allocated}})

    # Oscar's two-stage stock methods change the counts without saying why: every caller goes through
    # shop/partner/stock.py instead (allocate_line, consume_lines, release_lines), which writes the
    # movement. Reaching one of these is a write around the ledger, refused loudly.
    def allocate(self, quantity):
        raise StockWriteOutsideLedger("StockRecord.allocate: use shop.partner.stock.allocate_line")

    def consume_allocation(self, quantity):
        raise StockWriteOutsideLedger("StockRecord.consume_allocation: use shop.partner.stock.consume_lines")

    def cancel_allocation(self, quantity):
        raise StockWriteOutsideLedger("StockRecord.cancel_allocation: use shop.partner.stock.release_lines")

    allocate.alters_data = consume_allocation.alters_data = cancel_allocation.alters_data = True


class StockWriteOutsideLedger(RuntimeError):
    """A stock count was changed on a StockRecord instance and saved: it must go through
    shop.partner.stock, which writes the movement that explains it."""


class StockMovement(models.Model):
    """One change of a stock record's counts, and why: the stock ledger (after Odoo's stock moves and
    Shopify's inventory history). Append-only, written by shop/partner/stock.py in the transaction
    of its cause; a record's num_in_stock is the sum of its delta_in_stock, num_allocated of its
    delta_allocated (`manage.py stock_audit`). A correction is a new row, never an edit."""

    class Reason(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        CREATED = "created", _("New stock record")
        ALLOCATED = "allocated", _("Order placed: units held")
        RELEASED = "released", _("Allocation cancelled")
        HANDED_OVER = "handed_over", _("Handed over: shipped or collected")
        COUNTER_SALE = "counter_sale", _("Counter sale")
        COUNTER_RETURN = "counter_return", _("Counter return")
        TRANSFER_OUT = "transfer_out", _("Transferred to a showroom")
        TRANSFER_IN = "transfer_in", _("Received from the producer")
        STOCKTAKE = "stocktake", _("Stocktake")
        IMPORT = "import", _("CSV import")
        PORTAL_EDIT = "portal_edit", _("Edited by the producer")
        OFFICE_EDIT = "office_edit", _("Edited by the OCOP office")
        RECEIVED = "received", _("Goods received")
        RECEIVED_BACK = "received_back", _("Received back from the buyer")
        WRITTEN_OFF = "written_off", _("Written off")

    stockrecord = models.ForeignKey("partner.StockRecord", on_delete=models.CASCADE, related_name="movements",
                                    verbose_name=_("Stock record"))
    delta_in_stock = models.IntegerField(_("Change in stock"), default=0)
    delta_allocated = models.IntegerField(_("Change allocated"), default=0)
    # The counts right after this movement (read under the row lock): "why is this 57?" reads down the list.
    in_stock_after = models.IntegerField(_("In stock after"), null=True)
    allocated_after = models.IntegerField(_("Allocated after"), null=True)
    reason = models.CharField(_("Reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("Note"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("By"))
    created_at = models.DateTimeField(_("When"), auto_now_add=True, db_index=True)
    order_line = models.ForeignKey("order.Line", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="stock_movements", verbose_name=_("Order line"))
    # What else caused it (a counter return, a transfer, a stocktake, a CSV import, a return request…):
    # generic, because those live in apps above this one (pos, producer_portal) that it must not import.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        app_label = "partner"
        ordering = ["-pk"]
        verbose_name = _("Stock movement")
        verbose_name_plural = _("Stock movements")
        indexes = [models.Index(fields=["stockrecord", "-id"], name="stockmove_record_newest"),
                   models.Index(fields=["source_type", "source_id"], name="stockmove_source")]

    def __str__(self):
        return f"#{self.stockrecord_id} {self.reason} {self.delta_in_stock:+d}/{self.delta_allocated:+d}"


from oscar.apps.partner.models import *  # noqa: E402
