"""The OCOP office's staff role: what an office account may do in Oscar's dashboard.

Oscar 4 asks for model permissions as well as `is_staff` (the order list wants `order.view_order`,
the reports `analytics.view_userrecord`): a bare staff account gets 403 there. Office staff who are
not superusers belong to this group, so their rights are one list, kept here, and editable in
/admin/ afterwards."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OFFICE_GROUP = "OCOP office"
# app label -> actions on every model of the app ("view" reads, "change" edits; "add"/"delete" create).
OFFICE_RIGHTS = {
    "order": ("view", "change"),  # orders of both channels; record a transfer or a COD delivery
    "analytics": ("view",),  # Oscar's reports
    "catalogue": ("view", "change"),
    "partner": ("view", "change"),  # producers and their stock
    "catalog_ext": ("view", "add", "change"),  # certificates, GIs and licences, producer profiles
    "showrooms": ("view", "change"),
    "pos": ("view",),  # shifts and sales are written by the counter only
    "notifications": ("view",),  # every message sent, and why one failed
    "auditlog": ("view",),  # the audit log: read, never edited (issue 20)
    "privacy": ("view",),  # consents, closed accounts, anonymised orders, who read customer data
}


def office_group() -> Group:
    """The office group with exactly OFFICE_RIGHTS (idempotent: re-running adds what is missing)."""
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    wanted = Q(pk__in=[])
    for app_label, actions in OFFICE_RIGHTS.items():
        for action in actions:
            wanted |= Q(content_type__app_label=app_label, codename__startswith=f"{action}_")
    group.permissions.set(Permission.objects.filter(wanted))
    return group
