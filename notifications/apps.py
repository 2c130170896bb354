from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Producer notifications through an outbox: a row written in the caller's transaction, delivered
    by Celery after commit, re-sent by beat until delivered. Nothing is lost when the broker or a
    worker fails, and nothing is sent twice."""

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        receivers.connect()
