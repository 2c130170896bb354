"""OCOP showrooms (điểm trưng bày, giới thiệu và bán sản phẩm OCOP): where shoppers pick up orders
and, later, where the POS sells from its own shelf."""
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog_ext.models import ward_name


class ShowroomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Showroom(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Slug"), max_length=200, unique=True)
    ward_code = models.PositiveIntegerField(_("Ward or commune code"), help_text=_("Code of the current (2025) ward or commune"))
    street = models.CharField(_("Street address"), max_length=255)
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    opening_hours = models.TextField(_("Opening hours"), blank=True)
    is_active = models.BooleanField(_("Active"), default=True,
                                    help_text=_("Inactive showrooms are hidden and cannot be chosen for pick-up"))

    objects = ShowroomQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("Showroom")
        verbose_name_plural = _("Showrooms")

    def __str__(self):
        return self.name

    @property
    def commune(self) -> str:
        return ward_name(self.ward_code)

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.commune, "Sơn La") if part)

    def get_absolute_url(self):
        return reverse("showrooms:list") + f"#{self.slug}"
