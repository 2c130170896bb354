"""Telling a producer that their goods reached a showroom's shelf.

One small function, so it can be pointed at the notifications outbox later: a plain e-mail
through Oscar's communication Dispatcher, sent by a task enqueued once the transfer commits.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _


def transfer_recorded_on_commit(transfer) -> None:
    transfer_id = transfer.pk

    def enqueue():
        from .tasks import send_transfer_email

        send_transfer_email.delay(transfer_id)

    transaction.on_commit(enqueue, robust=True)


def send_transfer_email(transfer_id: int) -> bool:
    """E-mail the producer's contact address the transfer's lines. False when nobody to tell."""
    from oscar.core.loading import get_class

    from .models import Transfer

    Dispatcher = get_class("communication.utils", "Dispatcher")
    transfer = Transfer.objects.select_related("producer", "showroom").filter(pk=transfer_id).first()
    if transfer is None:
        return False
    to = transfer.producer.contact_email or next(iter(transfer.producer.users.values_list("email", flat=True)), "")
    if not to:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        lines = "\n".join(f"- {line.product.title}: {line.quantity}" for line in transfer.lines.select_related("product"))
        subject = _("Goods received at %(showroom)s") % {"showroom": transfer.showroom.name}
        body = _("%(showroom)s recorded these units from %(producer)s on its shelf:\n%(lines)s\n\nReference: "
                 "%(reference)s") % {"showroom": transfer.showroom.name, "producer": transfer.producer.name,
                                     "lines": lines, "reference": transfer.reference or "-"}
    Dispatcher().send_email_messages(to, {"subject": subject, "body": body, "html": ""})
    return True
