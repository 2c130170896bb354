from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who may widen rights (superusers only, on every path) and the audit log of what people
    changed by hand (django-auditlog's one read-only table)."""

    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from . import registry, rights

        rights.connect()
        registry.register_audited_models()
