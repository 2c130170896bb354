"""Recording consent: called where the person acts (placing an order, creating an account), in that
action's transaction, beside the statement and the link to the notice they were shown."""
from __future__ import annotations

from . import notice
from .models import Consent, Purpose


def record_checkout_consent(*, order) -> Consent:
    email = order.guest_email or (order.user.email if order.user_id else "")
    return Consent.objects.create(purpose=Purpose.CHECKOUT, notice_version=notice.version(), order=order,
                                  user=order.user if order.user_id else None, email=email)


def record_signup_consent(*, user) -> Consent:
    return Consent.objects.create(purpose=Purpose.SIGNUP, notice_version=notice.version(), user=user,
                                  email=user.email)
