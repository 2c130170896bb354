"""Every stock change a pick-up makes, in one small module.

Two moves (handing over is the order's own: shop/order/lifecycle.deliver consumes the held shelf units):
- at placement, basket lines the chosen showroom has on its shelf are sold from the shelf's
  record (the shelf's units are reserved: ready the same day); the others stay on the producer's;
- receiving: the producer brought a line's units to the showroom; they leave the producer's
  record and enter the shelf's, still held for the order.

Every count changes through the stock ledger (shop/partner/stock.py: `adjust`, `reallocate_line`,
each writing its movement in this transaction, locks in pk order), so
`stock_audit` and a record's history explain every unit a pick-up moved.
"""
from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext
from oscar.core.loading import get_model

from shop.partner import stock

StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")


def _tracks_stock(product) -> bool:
    return product.get_product_class().track_stock


def shelf_records(showroom, product_ids) -> dict[int, StockRecord]:
    """product id -> the showroom's shelf record (products not on its shelf are absent)."""
    if showroom.partner_id is None:
        return {}
    records = StockRecord.objects.filter(partner_id=showroom.partner_id, product_id__in=list(product_ids))
    return {record.product_id: record for record in records}


def route_basket_to_shelf(basket, showroom) -> bool:
    """Point each basket line at the showroom's shelf record when the shelf has all its units free
    (checked under the row locks, shared pk order with every writer of stock); the caller then
    allocates as usual. Only the in-memory lines change: the basket keeps the producer's records if
    the order fails. Returns True when every line is now served from the shelf."""
    lines = [line for line in basket.all_lines() if line.stockrecord_id]
    shelves = shelf_records(showroom, {line.product_id for line in lines})
    if not shelves:
        return False
    locked = stock.lock_stockrecords([r.pk for r in shelves.values()] + [line.stockrecord_id for line in lines])
    asked = defaultdict(int)
    for line in lines:
        asked[line.product_id] += line.quantity
    all_on_shelf = True
    for line in lines:
        shelf = locked.get(shelves[line.product_id].pk) if line.product_id in shelves else None
        if shelf is None or not _tracks_stock(line.product) or shelf.net_stock_level < asked[line.product_id]:
            all_on_shelf = False
            continue
        line.stockrecord = shelf
    return all_on_shelf


def shelf_record_for(showroom, line) -> StockRecord:
    """The showroom's record of the line's product, made (price from the producer's) when the
    shelf never had it: the same shape pos.stock.shelf_record makes for a transfer."""
    partner = showroom.shelf_partner()
    record = StockRecord.objects.filter(partner=partner, product_id=line.product_id).first()
    if record is None:
        source = line.stockrecord
        record = StockRecord.objects.create(
            partner=partner, product_id=line.product_id, partner_sku=f"{line.partner_sku}@{showroom.slug}"[:128],
            price=source.price if source else line.unit_price_incl_tax,
            price_currency=source.price_currency if source else line.order.currency, num_in_stock=0, num_allocated=0)
    return record


def move_line_to_shelf(line, showroom, *, actor=None) -> None:
    """The producer's units of `line` arrived at the showroom: out of the producer's record, onto
    the shelf's, still held for this order; the line now points at the shelf's record (and stays
    the producer's sale: its partner is kept)."""
    shelf = shelf_record_for(showroom, line)
    source = line.stockrecord
    quantity = line.quantity
    note = gettext("Order %(number)s: brought to %(showroom)s") % {"number": line.order.number,
                                                                   "showroom": showroom.name}
    stock.adjust(stockrecord=shelf, delta=quantity, actor=actor, reason=stock.Reason.TRANSFER_IN, line=line,
                 note=note)
    stock.reallocate_line(line=line, to_record=shelf, actor=actor, note=note)  # the hold moves to the shelf
    if source is not None:
        stock.adjust(stockrecord=source, delta=-quantity, actor=actor, reason=stock.Reason.TRANSFER_OUT, line=line,
                     note=note)
    # reallocate_line names the shelf's partner on the line; it stays the producer's sale.
    Line.objects.filter(pk=line.pk).update(partner=line.partner, partner_name=line.partner_name,
                                           partner_sku=line.partner_sku)
    line.refresh_from_db(fields=["stockrecord", "num_allocated", "allocation_cancelled"])
