from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ShopProjectConfig(AppConfig):
    """The project package itself: housekeeping tasks and operational commands (preflight)."""

    name = "shop"
    label = "ocop_shop"
    verbose_name = "OCOP Market"

    def ready(self):
        from django.apps import apps

        # After the sites app's own handler has created "example.com" (this app has no models,
        # so Django sends it no post_migrate of its own).
        post_migrate.connect(sync_site, sender=apps.get_app_config("sites"))

        from . import view_counts

        view_counts.install()

        from core.request_id import connect_signals, install_log_record_factory

        install_log_record_factory()
        connect_signals()


def sync_site(using="default", **kwargs):
    """Give the Sites framework the shop's real name and domain (links in e-mails, the QR page).

    Django creates "example.com"; we replace that default with SITE_DOMAIN after every migrate,
    and never overwrite a domain someone set by hand unless SITE_DOMAIN says otherwise.
    """
    from django.conf import settings
    from django.contrib.sites.models import Site

    site, _ = Site.objects.using(using).get_or_create(
        pk=settings.SITE_ID, defaults={"domain": settings.SITE_DOMAIN, "name": settings.OSCAR_SHOP_NAME})
    if site.domain == "example.com" or (settings.SITE_DOMAIN_FROM_ENV and site.domain != settings.SITE_DOMAIN):
        site.domain, site.name = settings.SITE_DOMAIN, settings.OSCAR_SHOP_NAME
        site.save(using=using)
        Site.objects.clear_cache()
