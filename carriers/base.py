"""The one small interface every carrier adapter implements (carriers/ghn.py, carriers/ghtk.py).

Viettel Post or VNPost is one more module with a class like these, registered in registry.py.
Money is whole đồng (int), weight grams. Every call raises CarrierError on a timeout, a refused
connection, a 5xx, or an answer the carrier marks as failed; callers decide the fallback.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


class CarrierStatus:
    """The shop's view of a parcel, whatever words the carrier uses."""

    CREATING = "creating"  # asked the carrier, no answer yet
    READY = "ready"  # waybill created, waiting for pick-up
    PICKED_UP = "picked_up"  # the carrier has the parcel: the lines are shipped
    DELIVERED = "delivered"  # handed to the shopper (COD collected by the carrier)
    FAILED_ATTEMPT = "failed_attempt"  # a delivery attempt failed; the carrier tries again
    RETURNING = "returning"
    RETURNED = "returned"  # back with the producer: refused or undeliverable
    CANCELLED = "cancelled"  # cancelled before pick-up
    LOST = "lost"  # lost or damaged: the carrier compensates
    OPEN = (CREATING, READY, PICKED_UP, FAILED_ATTEMPT, RETURNING)
    # How far along a status is: a late webhook for an earlier state never moves a parcel back.
    RANK = {CREATING: 0, READY: 1, CANCELLED: 2, PICKED_UP: 3, FAILED_ATTEMPT: 4, RETURNING: 5,
            DELIVERED: 9, RETURNED: 9, LOST: 9}


STATUS_CHOICES = [
    (CarrierStatus.CREATING, _("Being created")),
    (CarrierStatus.READY, _("Waiting for pick-up")),
    (CarrierStatus.PICKED_UP, _("Picked up")),
    (CarrierStatus.DELIVERED, _("Delivered")),
    (CarrierStatus.FAILED_ATTEMPT, _("Delivery attempt failed")),
    (CarrierStatus.RETURNING, _("Being returned")),
    (CarrierStatus.RETURNED, _("Returned")),
    (CarrierStatus.CANCELLED, _("Cancelled")),
    (CarrierStatus.LOST, _("Lost or damaged")),
]


class CarrierError(Exception):
    """The carrier did not do what was asked (down, slow, refused). `message` is safe to show."""

    def __init__(self, message: str, *, retryable: bool = True):
        super().__init__(message)
        self.message, self.retryable = message, retryable


@dataclass(frozen=True)
class Place:
    """A place in the carrier's own area codes or names (see CarrierArea), plus the street line."""

    province: str
    district: str
    ward: str
    street: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # 0xxxxxxxxx: what both carriers expect
    place: Place


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    weight_grams: int
    code: str = ""


@dataclass(frozen=True)
class WaybillRequest:
    client_code: str  # ours, unique per order and producer
    sender: Contact
    recipient: Contact
    items: tuple[Item, ...]
    weight_grams: int
    cod_amount: int
    value: int  # declared value, for insurance
    express: bool = False
    note: str = ""
    allow_inspection: bool = False  # "cho xem hàng"


@dataclass(frozen=True)
class Waybill:
    code: str
    fee: int | None
    status: str
    carrier_status: str
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Tracking:
    code: str
    status: str
    carrier_status: str
    occurred_at: str
    cod_amount: int | None
    raw: dict = field(default_factory=dict)


class Carrier:
    """What the shop asks of a carrier. Subclasses set `code` and `name` and implement each call."""

    code = ""
    name = ""

    def quote(self, *, sender: Place, recipient: Place, weight_grams: int, value: int, express: bool,
              timeout: float) -> int:
        raise NotImplementedError

    def create(self, request: WaybillRequest, *, timeout: float) -> Waybill:
        raise NotImplementedError

    def detail(self, code: str, *, timeout: float) -> Tracking:
        raise NotImplementedError

    def cancel(self, code: str, *, timeout: float) -> None:
        raise NotImplementedError

    def label(self, code: str, *, timeout: float) -> tuple[bytes, str]:
        """The printable label: (content, content type)."""
        raise NotImplementedError

    def map_status(self, carrier_status: str) -> str:
        raise NotImplementedError
