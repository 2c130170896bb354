"""OCOP certificates and the GI registry.

A certificate belongs to a product; a GI licence to a producer (an Oscar partner). Whether a badge
shows is never stored: it is asked of `valid(on=…)` (see rules.py), so an expiry or a revocation
takes the badge down at once, with no task needing to run.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.places import ward_name

from . import rules
from .choices import CouncilLevel


class ValidityQuerySet(models.QuerySet):
    """Shared by certificates and licences: both are issued, may expire, may be revoked."""

    def valid(self, on: dt.date | None = None):
        return self.filter(rules.validity_q(on or rules.today()))

    def expiring(self, *, within_days: int, on: dt.date | None = None):
        """Valid today and ending within `within_days` days (inclusive)."""
        on = on or rules.today()
        return self.valid(on).filter(expires_on__lte=on + dt.timedelta(days=within_days))

    def expired(self, on: dt.date | None = None):
        return self.filter(expires_on__lt=on or rules.today())


class ValidityMixin(models.Model):
    issued_on = models.DateField(_("Issued on"))
    expires_on = models.DateField(_("Valid until"), null=True, blank=True)
    revoked_on = models.DateField(_("Revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("Reason for revocation"), blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def status_on(self, on: dt.date | None = None) -> str:
        return rules.status_on(issued_on=self.issued_on, expires_on=self.expires_on,
                               revoked_on=self.revoked_on, on=on or rules.today())

    def is_valid_on(self, on: dt.date | None = None) -> bool:
        return self.status_on(on) == "active"

    @property
    def status(self) -> str:
        return self.status_on()

    def clean_validity(self, errors: dict):
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            errors["expires_on"] = _("The expiry date must be after the issue date.")
        if self.revoked_on and not self.revoked_reason.strip():
            errors["revoked_reason"] = _("Say why it was revoked.")
        if self.revoked_on and self.issued_on and self.revoked_on < self.issued_on:
            errors["revoked_on"] = _("It cannot be revoked before it was issued.")


class Certificate(ValidityMixin):
    """An OCOP certificate (giấy chứng nhận) of one product. Old certificates stay on record: a
    product re-rated 3★→4★ has two, and the newest valid one is the badge."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="ocop_certificates",
                                verbose_name=_("Product"))
    stars = models.PositiveSmallIntegerField(_("Stars"), choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    score = models.PositiveSmallIntegerField(_("Total score"), help_text=_("Out of 100 points."))
    score_a = models.PositiveSmallIntegerField(_("Part A score"), null=True, blank=True,
                                               help_text=_("Product and community strength."))
    score_b = models.PositiveSmallIntegerField(_("Part B score"), null=True, blank=True,
                                               help_text=_("Production, business and marketing."))
    score_c = models.PositiveSmallIntegerField(_("Part C score"), null=True, blank=True,
                                               help_text=_("Product quality."))
    number = models.CharField(_("Certificate number"), max_length=64)
    level = models.CharField(_("Council level"), max_length=16, choices=CouncilLevel.choices)
    issuer = models.CharField(_("Issuing body"), max_length=200)
    potential_five = models.BooleanField(_("Potential 5★"), default=False,
                                         help_text=_("A 4★ product awaiting the central council."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="certificate_number_unique_per_issuer"),
            models.CheckConstraint(condition=models.Q(stars__in=(3, 4, 5)), name="certificate_stars_3_to_5"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="certificate_score_at_most_100"),
        ]
        # issued_on and revoked_on beside expires_on: the producer home's "needing attention" list
        # (issued later, expiring, expired, revoked) is then a BitmapOr of three index scans, not a
        # scan of every certificate (30 ms at 75,000 certificates, 0.3 ms so; issue 21).
        indexes = [models.Index(fields=["product", "issued_on"]), models.Index(fields=["expires_on"]),
                   models.Index(fields=["issued_on"], name="certificate_issued_on"),
                   models.Index(fields=["revoked_on"], name="certificate_revoked_on",
                                condition=models.Q(revoked_on__isnull=False))]

    def __str__(self):
        return f"{self.number} · {self.stars}★"

    def save(self, *args, **kwargs):
        if self.issued_on and not self.expires_on:
            self.expires_on = rules.default_expiry(self.issued_on)
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict = {}
        if self.score is not None:
            if self.score > 100:
                errors["score"] = _("The score is out of 100 points.")
            elif self.stars and rules.stars_for_score(self.score) != self.stars:
                low, high = rules.STAR_BANDS[self.stars]
                errors["stars"] = _("%(stars)s★ needs a score from %(low)s to %(high)s; %(score)s points gives %(got)s.") % {
                    "stars": self.stars, "low": low, "high": high, "score": self.score,
                    "got": f"{rules.stars_for_score(self.score)}★" if rules.stars_for_score(self.score) else _("no star class (below 50)"),
                }
        parts = [self.score_a, self.score_b, self.score_c]
        if all(p is not None for p in parts) and self.score is not None and sum(parts) != self.score:
            errors["score"] = _("Parts A, B and C add up to %(sum)s, not %(score)s.") % {"sum": sum(parts), "score": self.score}
        if self.stars == 5 and self.level != CouncilLevel.CENTRAL:
            errors["level"] = _("Only the central council rates 5★ products.")
        if self.stars in (3, 4) and self.level == CouncilLevel.CENTRAL:
            errors["level"] = _("3★ and 4★ products are rated by the province council.")
        if self.potential_five and self.stars != 4:
            errors["potential_five"] = _("Only a 4★ product can be marked potential 5★.")
        self.clean_validity(errors)
        if self.number and self.issuer:
            clash = Certificate.objects.filter(issuer=self.issuer, number=self.number).exclude(pk=self.pk)
            if clash.exists():
                errors["number"] = _("%(issuer)s already issued certificate %(number)s.") % {
                    "issuer": self.issuer, "number": self.number}
        if errors:
            raise ValidationError(errors)

    @property
    def is_demo(self) -> bool:
        """Demo certificates are visibly fictitious (OCOP.md): never present one as real."""
        return self.number.upper().startswith("DEMO-")

    def revoke(self, *, reason: str, on: dt.date | None = None):
        self.revoked_on = on or rules.today()
        self.revoked_reason = reason
        self.full_clean()
        self.save(update_fields=["revoked_on", "revoked_reason", "updated_at"])


class GeographicalIndication(models.Model):
    """A GI (chỉ dẫn địa lý): owned by the State, registered by the national IP office, managed
    by a provincial body, usable by a producer only under a licence."""

    name = models.CharField(_("Name"), max_length=128)
    slug = models.SlugField(_("Slug"), max_length=128, unique=True)
    registration_number = models.CharField(_("Registration number"), max_length=32)
    registered_on = models.DateField(_("Registered on"))
    managing_body = models.CharField(_("Managing body"), max_length=200)
    product_kind = models.CharField(_("Product kind"), max_length=128)
    description = models.TextField(_("Description"), blank=True)

    class Meta:
        verbose_name = _("Geographical indication")
        verbose_name_plural = _("Geographical indications")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from catalog_ext.search_text import refresh_search_text

        refresh_search_text(self.products.all())

    def get_absolute_url(self):
        return f"{reverse('catalogue:index')}?gi={self.slug}"

    @property
    def area_names(self) -> list[str]:
        return [unit.name for unit in self.area.all()]


class GIAreaUnit(models.Model):
    """One ward or commune inside a GI's area (codes from `vietnam-provinces`)."""

    gi = models.ForeignKey(GeographicalIndication, on_delete=models.CASCADE, related_name="area")
    ward_code = models.PositiveIntegerField(_("Ward or commune"))

    class Meta:
        verbose_name = _("Area ward or commune")
        verbose_name_plural = _("Area wards and communes")
        constraints = [models.UniqueConstraint(fields=["gi", "ward_code"], name="gi_area_unit_unique")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return ward_name(self.ward_code)

    def clean(self):
        if self.ward_code and not ward_name(self.ward_code):
            raise ValidationError({"ward_code": _("Unknown ward or commune code.")})


class GILicence(ValidityMixin):
    """A producer's licence to use a GI. A product shows the GI tag only while its producer holds
    a valid one and is located in the GI's area."""

    gi = models.ForeignKey(GeographicalIndication, on_delete=models.CASCADE, related_name="licences",
                           verbose_name=_("Geographical indication"))
    producer = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="gi_licences",
                                 verbose_name=_("Producer"))
    number = models.CharField(_("Licence number"), max_length=64)

    class Meta:
        verbose_name = _("GI licence")
        verbose_name_plural = _("GI licences")
        ordering = ["gi__name", "producer__name"]
        constraints = [models.UniqueConstraint(fields=["gi", "number"], name="gi_licence_number_unique")]

    def __str__(self):
        return f"{self.gi} · {self.producer} · {self.number}"

    def clean(self):
        errors: dict = {}
        self.clean_validity(errors)
        if self.gi_id and self.producer_id:
            ward = self.producer.ward_code
            if not self.gi.area.filter(ward_code=ward).exists():
                errors["producer"] = _("This producer is not located in the GI's area.")
        if errors:
            raise ValidationError(errors)


class BadgePeriod(models.Model):
    """A stretch of days over which a product's badges are the same (catalog_ext/badge_periods.py
    writes them; nothing else may). Derived data: rebuilt from certificates and licences."""

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="badge_periods")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)  # the last day; none: until further notice
    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    potential_five = models.BooleanField(default=False)
    certificate_number = models.CharField(max_length=64, blank=True)
    gi_ok = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Badge period")
        verbose_name_plural = _("Badge periods")
        indexes = [models.Index(fields=["product", "starts_on"]), models.Index(fields=["stars", "starts_on"])]

    def __str__(self):
        return f"{self.product_id} {self.starts_on}..{self.ends_on or ''}"


class CertificateReminder(models.Model):
    """One expiry reminder of one certificate at one threshold (30 or 7 days, rules.EXPIRY_WARNINGS_DAYS).

    Written in the same transaction that enqueues its delivery: the unique constraint is what makes
    the daily task idempotent, and `delivered_at` lets a later run re-send what a lost task dropped."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders",
                                    verbose_name=_("Certificate"))
    threshold_days = models.PositiveSmallIntegerField(_("Days before expiry"))
    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("Sent"), null=True, blank=True)
    recipients = models.TextField(_("Recipients"), blank=True)

    class Meta:
        verbose_name = _("Certificate expiry reminder")
        verbose_name_plural = _("Certificate expiry reminders")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["certificate", "threshold_days"],
                                               name="certificate_reminder_once_per_threshold")]

    def __str__(self):
        return f"{self.certificate} · {self.threshold_days}"


class CertificateImport(models.Model):
    """An uploaded certificate list between its preview and its confirmation, keyed by a token:
    the office confirms what it previewed, without uploading the file again."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("File name"), max_length=255, blank=True)
    rows = models.JSONField(_("Rows"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Certificate import")
        verbose_name_plural = _("Certificate imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename or str(self.token)


class SearchWord(models.Model):
    """One word of the catalogue's folded search text (catalog_ext.search_text.remember_words).

    The typo fallback corrects each query word against this vocabulary (a few thousand short
    rows) instead of comparing the query with every product's text (1.7 s at 100,000 products).
    Words of deleted products stay: a correction that matches nothing finds nothing."""

    word = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("Search word")
        verbose_name_plural = _("Search words")

    def __str__(self):
        return self.word


class LostVersionBump(models.Model):
    """A catalogue change whose version bump the cache refused (Redis down: catalog_ext/cache.py).

    Rows are only ever added; the highest id is part of every page-cache key, so a Redis that comes
    back holding the version from before the change (and pages cached under it) never serves them."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lost catalogue version bump")
