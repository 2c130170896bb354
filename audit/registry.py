"""What the audit log records (django-auditlog: one LogEntry per change, with who, when, and each
changed field's value before and after).

Who-may-do-what (issue 20): users' staff/superuser flags, groups and own permissions, groups'
permissions, producers' users, showroom staff. Besides, what a person changes by hand that moves
money or trust: prices and stock levels (StockRecord), shelf counts that corrected stock
(StocktakeLine), OCOP certificates and GI licences, money recorded by hand on an order (Oscar's
payment sources and events: "transfer received", "COD collected", Stripe's refunds) and counter
refunds (PosReturn). Models are named by label, not imported: audit sits below the apps it watches.
"""
from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

# label -> register() options
AUDITED = {
    settings.AUTH_USER_MODEL: {"include_fields": ["is_staff", "is_superuser", "is_active"],
                               "m2m_fields": {"groups", "user_permissions"}},
    "auth.Group": {"include_fields": ["name"], "m2m_fields": {"permissions"}},
    "partner.Partner": {"include_fields": ["name"], "m2m_fields": {"users"}},
    "showrooms.ShowroomStaff": {},
    "partner.StockRecord": {"include_fields": ["price", "num_in_stock", "low_stock_threshold"]},
    "pos.StocktakeLine": {},
    "catalog_ext.Certificate": {},
    "catalog_ext.GILicence": {},
    "payment.Source": {"include_fields": ["amount_allocated", "amount_debited", "amount_refunded", "reference"]},
    "order.PaymentEvent": {},
    "pos.PosReturn": {},
}


def register_audited_models() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
