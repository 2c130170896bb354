"""A stock record's movements as the rows of a history table, for every page that shows one (the
producer portal, the office dashboard). Each channel says where an order links to for its users."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LedgerRow:
    when: object
    reason: str
    delta_in_stock: int
    delta_allocated: int
    in_stock_after: int | None
    allocated_after: int | None
    who: str
    reference: str
    url: str | None
    note: str


def _reference(movement) -> str:
    """What caused it, in words: the order number, or the kind and number of the other cause
    (read from the content type, so no query per row)."""
    if movement.order_line_id and movement.order_line is not None:
        return _("Order %(number)s") % {"number": movement.order_line.order.number}
    if movement.source_type_id and movement.source_type is not None:
        model = movement.source_type.model_class()
        name = model._meta.verbose_name if model else movement.source_type.model
        return f"{str(name).capitalize()} #{movement.source_id}"
    return ""


def ledger_rows(movements, *, order_url: Callable | None = None) -> list[LedgerRow]:
    rows = []
    for m in movements:
        url = order_url(m.order_line) if order_url and m.order_line_id and m.order_line is not None else None
        who = (m.actor.get_full_name() or m.actor.email or m.actor.get_username()) if m.actor_id and m.actor else ""
        rows.append(LedgerRow(when=m.created_at, reason=m.get_reason_display(), delta_in_stock=m.delta_in_stock,
                              delta_allocated=m.delta_allocated, in_stock_after=m.in_stock_after,
                              allocated_after=m.allocated_after, who=who, reference=_reference(m), url=url,
                              note=m.note))
    return rows
