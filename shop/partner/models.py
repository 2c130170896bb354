"""Partners are producers (and, later, showrooms). The producer profile hangs off Oscar's partner:
the dashboard's partner scoping keeps working, and the shop has one notion of "who sells this"."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractPartnerAddress
from oscar.apps.partner.abstract_models import AbstractPartner

from catalog_ext.choices import ProducerKind
from shop.address.postcodes import VietnamesePostcodes


class Partner(AbstractPartner):
    kind = models.CharField(_("Producer type"), max_length=16, choices=ProducerKind.choices, blank=True)
    ward_code = models.PositiveIntegerField(_("Ward or commune"), null=True, blank=True, db_index=True,
                                            help_text=_("Current two-level unit (since 1 July 2025)."))
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("Contact e-mail"), blank=True)
    story = models.TextField(_("Story"), blank=True, help_text=_("Who makes it, and where."))
    logo = models.ImageField(_("Logo"), upload_to="producers/", blank=True, max_length=255)

    class Meta(AbstractPartner.Meta):
        pass

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.pk:  # name and commune are part of what search matches
            from catalog_ext.search import refresh_search_text

            refresh_search_text(self.produced_products.all())

    def get_absolute_url(self):
        return reverse("producers:detail", kwargs={"slug": self.code})

    @property
    def commune(self) -> str:
        from catalog_ext.models import ward_name

        return ward_name(self.ward_code)

    @property
    def is_producer(self) -> bool:
        return bool(self.kind)


class PartnerAddress(VietnamesePostcodes, AbstractPartnerAddress):
    class Meta(AbstractPartnerAddress.Meta):
        pass


from oscar.apps.partner.models import *  # noqa: E402
