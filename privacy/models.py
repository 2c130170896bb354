"""Records the decree asks the shop to be able to show: who agreed to what and when, who asked for
deletion, which orders were anonymised, and which staff member read which customer's data."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    CHECKOUT = "checkout", _("Placing an order")
    SIGNUP = "signup", _("Creating an account")


class Consent(models.Model):
    """A person agreed to the privacy notice of `notice_version` at `given_at`, for `purpose`."""

    purpose = models.CharField(_("Purpose"), max_length=16, choices=Purpose.choices)
    notice_version = models.CharField(_("Notice version"), max_length=20)
    given_at = models.DateTimeField(_("Given at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="privacy_consents", verbose_name=_("User"))
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="privacy_consents", verbose_name=_("Order"))
    email = models.CharField(_("E-mail"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("Consent")
        verbose_name_plural = _("Consents")
        ordering = ["-given_at", "-pk"]

    def __str__(self):
        return f"{self.purpose} · {self.notice_version} · {self.given_at:%Y-%m-%d %H:%M}"


class DeletionRequest(models.Model):
    """A customer closed their account. The account's personal data is erased at once; their orders
    stay for accounting and are anonymised when the retention period ends."""

    user_id_erased = models.PositiveBigIntegerField(_("Account id"), db_index=True)
    requested_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("Account erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Deletion request")
        verbose_name_plural = _("Deletion requests")
        ordering = ["-requested_at"]


class Anonymisation(models.Model):
    """An order whose person's data (names, phone, address lines, e-mail) was erased."""

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="anonymisation")
    done_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("Anonymised order")
        verbose_name_plural = _("Anonymised orders")


class StaffAccess(models.Model):
    """A staff member opened a page with a customer's personal data. Append-only: the admin shows it,
    nobody edits or deletes it."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("Staff member"))
    at = models.DateTimeField(_("When"), auto_now_add=True, db_index=True)
    page = models.CharField(_("Page"), max_length=64)
    subject = models.CharField(_("Whose data"), max_length=128)
    path = models.CharField(_("Address"), max_length=500)
    method = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("Staff access to customer data")
        verbose_name_plural = _("Staff access to customer data")
        ordering = ["-at", "-pk"]
