"""Telling a producer that their goods reached a showroom's shelf: through the producers'
notification outbox (notifications.services), written in the transfer's own transaction, so the
e-mail and the portal notice are never lost, whatever the broker does."""
from __future__ import annotations


def transfer_recorded(transfer) -> None:
    from notifications.services import queue_shelf_transfer

    queue_shelf_transfer(transfer)
