from django.apps import AppConfig
from django.db.models.signals import class_prepared, post_migrate

from core.images import limit_image_fields

# Image bombs (issue 20): every ImageField's form field checks pixels and bytes. Connected when
# Django imports this module, before it loads any model (core/images.py says why).
class_prepared.connect(limit_image_fields, dispatch_uid="limit-image-fields")


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

        from . import rich_text, view_counts

        rich_text.connect()  # typed HTML sanitised on every save (issue 20)

        from .templatetags import ocop_currency

        ocop_currency.use_in_oscars_library()  # `|currency` without Babel's per-call work (issue 21)

        from core import images

        images.apply_pillow_limit()  # image bombs (issue 20): pixels and bytes limited everywhere
        from oscar.apps.dashboard.reports.reports import ReportCSVFormatter

        from core.csv_safe import SafeUnicodeCSVWriter

        # Oscar's report CSVs (orders, baskets, offers, vouchers) all take their writer here: with
        # no cell a spreadsheet would run (issue 20). One line instead of forking five report apps.
        ReportCSVFormatter.get_csv_writer = lambda self, file_handle, **kwargs: SafeUnicodeCSVWriter(
            open_file=file_handle, **kwargs)
        from . import thumbnails

        thumbnails.connect()  # product photos' thumbnails made ahead of time, by Celery

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
