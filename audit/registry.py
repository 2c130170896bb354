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
    "pos.StocktakeLine": {},
    "catalog_ext.Certificate": {},
    "catalog_ext.GILicence": {},
    "pos.PosReturn": {},
}


# Rows the shop's own code also writes on every sale (stock records on each allocation, payment
# sources and events at checkout and the counter): django-auditlog's receivers would read the old
# row before every save (a query per stock line of every order). These are logged only when a
# person changes them by hand: a stock record's fields changed on the instance and saved (a form:
# the producer portal, the dashboard, the admin; Oscar's allocate/consume move stock with update()
# and change nothing on the instance), and money recorded while an office account's request is
# served (transfer received, COD collected, refunds by staff). No extra query: the values loaded
# are kept on the instance.
BY_HAND = {
    "partner.StockRecord": ("price", "num_in_stock", "low_stock_threshold"),
}
BY_STAFF = {
    "payment.Source": ("amount_allocated", "amount_debited", "amount_refunded", "reference"),
    "order.PaymentEvent": ("amount", "reference", "event_type_id"),
}


def _snapshot(fields):
    def receiver(sender, instance, **kwargs):
        instance._audit_loaded = {f: instance.__dict__.get(f) for f in fields}
    return receiver


def _mark_changes(fields):
    """pre_save: what this save changes on the instance since it was loaded. Oscar's allocate and
    consume send pre_save before their update() (nothing changed on the instance yet) and post_save
    after re-reading the row: comparing in pre_save keeps those out."""
    def receiver(sender, instance, raw=False, **kwargs):
        created = instance._state.adding
        before = getattr(instance, "_audit_loaded", {})
        instance._audit_changes = {
            f: ["None" if created else str(before.get(f)), str(getattr(instance, f))]
            for f in fields if created or (f in before and before[f] != getattr(instance, f))}
    return receiver


def _log_by_hand(fields, *, staff_only):
    def receiver(sender, instance, created, raw=False, **kwargs):
        from auditlog.models import LogEntry

        from .rights import current_user

        changes, instance._audit_changes = getattr(instance, "_audit_changes", None), None
        instance._audit_loaded = {f: getattr(instance, f) for f in fields}
        user = current_user()
        if raw or not changes or user is None or (staff_only and not user.is_staff) or (created and not staff_only):
            return  # a new stock record is no correction: its first numbers come with its creation
        LogEntry.objects.log_create(
            instance, action=LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
            changes=changes, actor=user if user.is_authenticated else None)
    return receiver


_RECEIVERS = []


def register_audited_models() -> None:
    from django.db.models.signals import post_init, post_save, pre_save

    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
    for table, staff_only in ((BY_HAND, False), (BY_STAFF, True)):
        for label, fields in table.items():
            model = apps.get_model(label)
            receivers = (_snapshot(fields), _mark_changes(fields), _log_by_hand(fields, staff_only=staff_only))
            _RECEIVERS.extend(receivers)
            post_init.connect(receivers[0], sender=model, dispatch_uid=f"audit-loaded-{label}")
            pre_save.connect(receivers[1], sender=model, dispatch_uid=f"audit-changes-{label}")
            post_save.connect(receivers[2], sender=model, dispatch_uid=f"audit-by-hand-{label}")
