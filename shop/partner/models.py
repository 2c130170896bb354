"""Partners are producers (and, later, showrooms). The producer profile hangs off Oscar's partner:
the dashboard's partner scoping keeps working, and the shop has one notion of "who sells this"."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractPartnerAddress
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

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
            from catalog_ext.search_text import refresh_search_text

            refresh_search_text(self.produced_products.all())
            from catalog_ext.badge_periods import products_of_producer, refresh

            refresh(products_of_producer(self.pk))  # the commune decides whether a GI licence counts

    def get_absolute_url(self):
        return reverse("producers:detail", kwargs={"slug": self.code})

    @property
    def commune(self) -> str:
        from core.places import ward_name

        return ward_name(self.ward_code)

    @property
    def is_producer(self) -> bool:
        return bool(self.kind)


class PartnerAddress(VietnamesePostcodes, AbstractPartnerAddress):
    class Meta(AbstractPartnerAddress.Meta):
        pass



class StockRecord(AbstractStockRecord):
    class Meta(AbstractStockRecord.Meta):
        constraints = [
            # The last line against overselling, whatever code path writes the row (shop/partner/stock.py
            # is the first). NULL num_allocated means "nothing allocated" (Oscar's field is nullable);
            # NULL num_in_stock compares as unknown, which a CHECK lets through: an untracked record.
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True) | Q(num_allocated__gte=0, num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_within_stock",
                violation_error_message=_("More units allocated than in stock."),
            ),
        ]

    def clean(self):
        # Forms (the dashboard's stock form has no num_allocated field, so Django skips the constraint
        # there) get a message rather than an IntegrityError.
        super().clean()
        if self.num_allocated and self.num_in_stock is not None and self.num_in_stock < self.num_allocated:
            raise ValidationError({"num_in_stock": _("%(count)d units are allocated to orders: the stock cannot be "
                                                     "lower.") % {"count": self.num_allocated}})

    def allocate(self, quantity: int) -> bool:
        """Allocate `quantity` units only if that many are free, in one conditional UPDATE.

        Oscar's allocate() adds without looking, so two shoppers could both take the last unit.
        Returns False (and changes nothing) when fewer than `quantity` units are free; True when
        allocated, or when the product does not track stock (nothing to allocate).
        """
        if not self.can_track_allocations:
            return True
        self.pre_save_signal()
        free = F("num_in_stock") - Coalesce(F("num_allocated"), 0)
        done = (type(self).objects.alias(free=free)
                .filter(pk=self.pk, free__gte=quantity)
                .update(num_allocated=Coalesce(F("num_allocated"), 0) + quantity))
        self.refresh_from_db(fields=["num_allocated", "num_in_stock"])
        if done:
            self.post_save_signal()
        return bool(done)

    allocate.alters_data = True


from oscar.apps.partner.models import *  # noqa: E402
