"""OCOP showrooms (điểm trưng bày, giới thiệu và bán sản phẩm OCOP): where shoppers pick up orders
and, later, where the POS sells from its own shelf."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.places import ward_name


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
    # The shelf: an Oscar partner of its own, because a stock record is unique per product and
    # partner. The web strategy sells from the producer's record, the POS from this one.
    partner = models.OneToOneField("partner.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="showroom", verbose_name=_("Stock partner"))

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

    def shelf_partner(self):
        """The showroom's stock partner, made on first use (code showroom-<slug>)."""
        if self.partner_id is None:
            from oscar.core.loading import get_model

            Partner = get_model("partner", "Partner")
            self.partner, _created = Partner.objects.get_or_create(code=f"showroom-{self.slug}",
                                                                   defaults={"name": self.name})
            self.save(update_fields=["partner"])
        return self.partner

    def role_of(self, user) -> str | None:
        """The user's role at this showroom (None: not its staff)."""
        if not user.is_authenticated:
            return None
        return self.staff.filter(user=user).values_list("role", flat=True).first()


class ShowroomStaff(models.Model):
    """Who works the counter of a showroom. Staff see their own showroom only."""

    CASHIER, MANAGER = "cashier", "manager"
    ROLE_CHOICES = [(CASHIER, _("Cashier")), (MANAGER, _("Manager"))]

    showroom = models.ForeignKey(Showroom, on_delete=models.CASCADE, related_name="staff",
                                 verbose_name=_("Showroom"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="showroom_roles",
                             verbose_name=_("User"))
    role = models.CharField(_("Role"), max_length=16, choices=ROLE_CHOICES, default=CASHIER)
    can_discount = models.BooleanField(_("May give discounts"), default=False,
                                       help_text=_("Managers always may."))

    class Meta:
        verbose_name = _("Showroom staff member")
        verbose_name_plural = _("Showroom staff")
        constraints = [models.UniqueConstraint(fields=["showroom", "user"], name="showroom_staff_unique")]

    def __str__(self):
        return f"{self.user} @ {self.showroom} ({self.role})"

    @property
    def may_discount(self) -> bool:
        return self.role == self.MANAGER or self.can_discount
