"""Oscar's product, with the OCOP facts a shopper filters on: producer, OCOP group, GI claim, and a
folded search column (accent-free search without a search server)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from catalog_ext import season
from catalog_ext.choices import ProductGroup


class Product(AbstractProduct):
    producer = models.ForeignKey("partner.Partner", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="produced_products", verbose_name=_("Producer"))
    ocop_group = models.CharField(_("OCOP product group"), max_length=16, choices=ProductGroup.choices,
                                  blank=True, db_index=True)
    # The GI the product claims; the tag shows only while the producer's licence is valid.
    gi = models.ForeignKey("catalog_ext.GeographicalIndication", on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="products", verbose_name=_("Geographical indication"))
    # Harvest months, "5,6,7": what "in season now" asks (catalog_ext.season).
    season_months = models.CharField(_("Season months"), max_length=40, blank=True, default="",
                                     validators=[season.validate_months],
                                     help_text=_("Months from 1 to 12, separated by commas (e.g. 5,6,7)."))
    # Title, producer, GI and commune, accents folded: what search matches (catalog_ext.search_text).
    search_text = models.TextField(blank=True, editable=False, default="")

    class Meta(AbstractProduct.Meta):
        pass

    _saved_badge_source = (None, None)  # a new product has no periods yet: it gets them once it has a GI

    def save(self, *args, **kwargs):
        from catalog_ext.search_text import search_text_for

        old_text, self.search_text = self.search_text, search_text_for(self)
        self.season_months = season.normalise(self.season_months)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
        if self.search_text != old_text:
            from catalog_ext.search_text import remember_words

            remember_words([self.search_text])
        if self._badge_source() != self._saved_badge_source:
            from catalog_ext.badge_periods import refresh

            refresh([self.pk])  # its GI or producer decides which licences count
        self._saved_badge_source = self._badge_source()

    def _badge_source(self) -> tuple:
        return (self.gi_id, self.producer_id)

    @classmethod
    def from_db(cls, db, field_names, values):
        product = super().from_db(db, field_names, values)
        product._saved_badge_source = product._badge_source() if "gi_id" in product.__dict__ else None
        return product

    def is_in_season(self, month: int) -> bool:
        return season.is_in_season(self.season_months, month)


from oscar.apps.catalogue.models import *  # noqa: E402
