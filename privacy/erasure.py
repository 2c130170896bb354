"""Closing an account, and anonymising orders once their retention period is over.

- `close_account(user)`: the customer asked for deletion. What is needed for nothing but the account
  goes now (address book, contact preference, e-mail history, alerts, wish lists, notices; the
  account's name and e-mail become an anonymous placeholder and it can no longer sign in). Orders
  stay for accounting (Law on Accounting: ten years), delivery data included while an order may
  still be delivered, returned or disputed.
- `anonymise_expired()` (beat, daily): orders of guests and of closed accounts placed before the
  retention period lose their person's data: names, phone, address lines, notes, e-mail, and the
  addresses messages went to. Ward and province codes, lines and amounts stay (reports, accounts).
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from . import notice
from .models import Anonymisation, DeletionRequest

ERASED = "—"


@transaction.atomic
def close_account(user) -> DeletionRequest:
    from notifications.models import ContactPreference

    request = DeletionRequest.objects.create(user_id_erased=user.pk)
    get_model("address", "UserAddress").objects.filter(user=user).delete()
    get_model("communication", "Email").objects.filter(user=user).delete()
    get_model("communication", "Notification").objects.filter(recipient=user).delete()
    get_model("customer", "ProductAlert").objects.filter(user=user).delete()
    get_model("wishlists", "WishList").objects.filter(owner=user).delete()
    ContactPreference.objects.filter(user=user).delete()
    placeholder = f"closed-{user.pk}@invalid.invalid"
    user.email = placeholder
    if hasattr(user, "username"):
        user.username = placeholder[:150]
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    request.completed_at = timezone.now()
    request.save(update_fields=["completed_at"])
    return request


def _blank_address(address) -> None:
    if address is None:
        return
    address.first_name, address.last_name = "", ERASED
    address.line1 = address.line2 = address.line3 = ERASED if address.line1 else ""
    address.line4 = ""
    address.postcode = ""
    address.phone_number = ""
    if hasattr(address, "notes"):
        address.notes = ""
    if hasattr(address, "search_text"):
        address.search_text = ""
    address.save()


@transaction.atomic
def anonymise_order(order, *, reason: str) -> bool:
    """Erase the person's data of one order; False when it was already done."""
    from notifications.models import Message

    from .models import Consent

    if Anonymisation.objects.filter(order=order).exists():
        return False
    _blank_address(order.shipping_address)
    _blank_address(order.billing_address)
    order.guest_email = ""
    order.save(update_fields=["guest_email"])
    Message.objects.filter(order=order).update(recipient="", payload={})
    Consent.objects.filter(order=order).update(email="")
    Anonymisation.objects.create(order=order, reason=reason)
    return True


def expired_orders(*, now=None):
    """Orders of guests and of closed accounts placed before the retention period, not yet anonymised."""
    Order = get_model("order", "Order")
    cutoff = (now or timezone.now()) - notice.retention()
    closed = DeletionRequest.objects.values("user_id_erased")
    return (Order.objects.filter(date_placed__lt=cutoff, anonymisation__isnull=True)
            .filter(Q(user__isnull=True) | Q(user_id__in=closed)).select_related("shipping_address", "billing_address"))


def anonymise_expired(*, now=None, limit: int = 1000) -> int:
    """Anonymise up to `limit` expired orders (beat runs it daily; a backlog drains run by run)."""
    done = 0
    for order in list(expired_orders(now=now).order_by("pk")[:limit]):
        done += anonymise_order(order, reason="retention period over")
    return done
