"""How goods reach a showroom's shelf and how its count is corrected.

A transfer moves units from the producer's stock record (what the web sells) to the showroom's
record (what the counter sells) in one transaction, the producer's free units checked under the
row lock (shop/partner/stock.py's lock order), so a transfer can never take units the web has
already sold. A stocktake sets the shelf to what was counted, keeping the reason.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from notifications.services import queue_shelf_transfer
from shop.partner import stock

from .errors import PosError
from .models import StocktakeLine, Transfer

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class Item:
    product: object
    quantity: int


def shelf_record(showroom, product, *, create_from=None):
    """The showroom's stock record of `product`; made (price from `create_from`) when asked."""
    partner = showroom.shelf_partner()
    record = StockRecord.objects.filter(partner=partner, product=product).first()
    if record is None and create_from is not None:
        record = StockRecord.objects.create(
            partner=partner, product=product, partner_sku=f"{create_from.partner_sku}@{showroom.slug}"[:128],
            price=create_from.price, price_currency=create_from.price_currency, num_in_stock=0, num_allocated=0)
    return record


@transaction.atomic
def transfer(*, producer, showroom, items: list[Item], user=None, reference: str = "", note: str = "",
             notify_producer: bool = True) -> Transfer:
    """Move units from the producer's stock to the showroom's shelf; the producer is told by e-mail
    (not for the demo loader's transfers: nobody reads those)."""
    items = [i for i in items if i.quantity]
    if not items:
        raise PosError(_("A transfer needs at least one product and quantity."))
    if any(i.quantity < 0 for i in items):
        raise PosError(_("Quantities are whole numbers above 0."))
    if reference and Transfer.objects.filter(showroom=showroom, reference=reference).exists():
        raise PosError(_("Transfer %(reference)s was already recorded for this showroom.") % {"reference": reference})
    sources = {}
    for item in items:
        if item.product.producer_id != producer.pk:
            raise PosError(_("«%(title)s» is not made by %(producer)s.") % {"title": item.product.title,
                                                                            "producer": producer.name})
        record = StockRecord.objects.filter(partner=producer, product=item.product).first()
        if record is None:
            raise PosError(_("%(producer)s has no stock of «%(title)s».") % {"producer": producer.name,
                                                                            "title": item.product.title})
        sources[item.product.pk] = record
    made = Transfer.objects.create(producer=producer, showroom=showroom, created_by=user, reference=reference,
                                   note=note)
    shelves = {item.product.pk: shelf_record(showroom, item.product, create_from=sources[item.product.pk])
               for item in items}
    # Every row of the transfer locked at once, in pk order, before the first write.
    stock.lock_stockrecords([*(r.pk for r in sources.values()), *(r.pk for r in shelves.values())])
    for item in items:
        try:
            stock.transfer_units(from_record=sources[item.product.pk], to_record=shelves[item.product.pk],
                                 quantity=item.quantity, actor=user, source=made, note=reference)
        except stock.StockError as error:
            raise PosError(str(error)) from None
        made.lines.create(product=item.product, quantity=item.quantity)
    # No catalogue bump here: each movement above bumps its product's stock version (the product
    # page's counts and shelves), and the catalogue's only when it sells the web's record out
    # (catalog_ext.cache); a new shelf record is a save, which bumps the catalogue.
    if notify_producer:
        queue_shelf_transfer(made)  # e-mail and portal notice, through the producers' outbox
    return made


@transaction.atomic
def stocktake(*, showroom, product, counted: int, reason: str, user=None) -> StocktakeLine:
    """Set the shelf count of `product` to what was counted (never below what sales hold)."""
    if counted is None or counted < 0:
        raise PosError(_("Count a whole number of units, 0 or more."))
    if not (reason or "").strip():
        raise PosError(_("Say why the count is corrected."))
    record = shelf_record(showroom, product)
    if record is None:
        raise PosError(_("«%(title)s» is not on this showroom's shelf.") % {"title": product.title})
    record = stock.lock_stockrecords([record.pk])[record.pk]
    if counted < (record.num_allocated or 0):
        raise PosError(_("%(count)d units are held by sales being completed: the count cannot be lower.")
                       % {"count": record.num_allocated})
    line = StocktakeLine.objects.create(showroom=showroom, product=product, before=record.num_in_stock or 0,
                                        counted=counted, reason=reason.strip(), created_by=user)
    stock.set_counted(stockrecord=record, counted=counted, actor=user, reason=stock.Reason.STOCKTAKE, source=line,
                      note=reason.strip())
    return line


def shelves_of(product, showrooms_qs=None):
    """Active showrooms with `product` on the shelf now, with how many (one query)."""
    from showrooms.models import Showroom

    qs = showrooms_qs or Showroom.objects.active()
    net = F("partner__stockrecords__num_in_stock") - Coalesce(F("partner__stockrecords__num_allocated"), 0)
    return (qs.filter(partner__stockrecords__product=product).annotate(on_shelf=net)
            .filter(on_shelf__gt=0).order_by("name"))
