"""Certificate expiry reminders: who is told, what they read, and the two steps that make it reliable.

1. `queue_expiry_reminders` writes one CertificateReminder per certificate and threshold (unique in the
   database) and puts it in the producers' notification outbox (the `notifications` app), which
   delivers it after commit: a second run finds the rows and queues nothing.
2. `deliver_reminder_now` (called by the outbox's delivery task) sends it through Oscar's communication
   framework (the OCOP_CERT_EXPIRY e-mail, editable under the dashboard's e-mail templates) and a
   dashboard notification per partner user, then marks it delivered. A reminder whose delivery was
   lost is re-sent by the outbox's beat task, and again by the next daily run.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from oscar.core.loading import get_class

from catalog_ext import rules
from catalog_ext.expiry import due_for_reminder, successor_q
from catalog_ext.models import Certificate, CertificateReminder
from notifications.services import publish_pending, queue_certificate_reminder

logger = logging.getLogger(__name__)

EVENT_CODE = "OCOP_CERT_EXPIRY"
# A reminder not delivered after this long is taken as lost (broker down, worker killed) and re-sent.
REDELIVER_AFTER = dt.timedelta(minutes=30)


def producer_recipients(partner) -> tuple[list, list[str]]:
    """The partner's users who have an e-mail, and the contact e-mail when no user already has it."""
    users = [user for user in partner.users.filter(is_active=True).order_by("pk") if user.email]
    known = {user.email.lower() for user in users}
    extra = [partner.contact_email] if partner.contact_email and partner.contact_email.lower() not in known else []
    return users, extra


def queue_expiry_reminders(*, on: dt.date | None = None) -> list[int]:
    """Record today's due reminders and enqueue their delivery; returns the new reminders' ids."""
    on = on or rules.today()
    created = []
    for threshold in sorted(rules.EXPIRY_WARNINGS_DAYS):
        for certificate_id in list(due_for_reminder(threshold_days=threshold, on=on).values_list("pk", flat=True)):
            with transaction.atomic():
                reminder, made = CertificateReminder.objects.get_or_create(
                    certificate_id=certificate_id, threshold_days=threshold)
                if made:
                    created.append(reminder.pk)
                    queue_certificate_reminder(reminder)
    stale = CertificateReminder.objects.filter(delivered_at__isnull=True,
                                               created_at__lt=timezone.now() - REDELIVER_AFTER)
    for reminder in stale.select_related("certificate__product__producer"):
        queue_certificate_reminder(reminder)  # a reminder from before the outbox gets its row now
        transaction.on_commit(lambda key=f"cert_expiry:{reminder.pk}": publish_pending(key))
    return created


def deliver_reminder(*, reminder_id: int) -> bool:
    """Send one reminder, once: returns False when it was already delivered or no longer due."""
    return deliver_reminder_now(reminder_id=reminder_id) is not None


def deliver_reminder_now(*, reminder_id: int) -> list[str] | None:
    """Send one reminder, once: the addresses it went to, or None when it was already delivered or
    is no longer due."""
    with transaction.atomic():
        reminder = (CertificateReminder.objects.select_for_update(of=("self",), no_key=True)
                    .select_related("certificate__product__producer")
                    .filter(pk=reminder_id, delivered_at__isnull=True).first())
        if reminder is None:
            return None
        certificate = reminder.certificate
        if not _still_due(certificate):
            reminder.delivered_at = timezone.now()
            reminder.save(update_fields=["delivered_at"])
            return None
        users, addresses = producer_recipients(certificate.product.producer)
        _send(certificate, reminder.threshold_days, users, addresses)
        reminder.delivered_at = timezone.now()
        reminder.recipients = ", ".join([u.email for u in users] + addresses)
        reminder.save(update_fields=["delivered_at", "recipients"])
        return [u.email for u in users] + addresses


def _still_due(certificate: Certificate) -> bool:
    """Revoked, expired or renewed since it was queued: nothing to remind."""
    today = rules.today()
    if not certificate.is_valid_on(today):
        return False
    return not Certificate.objects.filter(pk=certificate.pk).annotate(renewed=successor_q(today)).values_list(
        "renewed", flat=True).get()


def _send(certificate: Certificate, threshold_days: int, users: list, addresses: list[str]):
    Dispatcher = get_class("communication.utils", "Dispatcher")
    dispatcher = Dispatcher(logger=logger)
    product = certificate.product
    context = {
        "certificate": certificate, "product": product, "producer": product.producer,
        "threshold_days": threshold_days, "days_left": (certificate.expires_on - rules.today()).days,
        "product_path": reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
        "shop_name": settings.OSCAR_SHOP_NAME,
    }
    # Producers read Vietnamese; the task runs outside any request, so say which language.
    with translation.override(settings.LANGUAGE_CODE):
        messages = dispatcher.get_messages(EVENT_CODE, context)
        for user in users:
            dispatcher.dispatch_user_messages(user, messages)
        for address in addresses:
            dispatcher.dispatch_direct_messages(address, messages)
        dispatcher.notify_users(users, subject=escape(messages["subject"]), body=linebreaks(escape(messages["body"])))
