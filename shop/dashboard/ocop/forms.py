"""Forms of the OCOP office. Model forms run the model's full_clean, so every OCOP rule (star band,
council level, dates, one number per issuer, producer inside the GI area) shows on its own field."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.core.utils import slugify

from catalog_ext import rules
from catalog_ext.choices import CouncilLevel
from catalog_ext.importer import MAX_BYTES
from catalog_ext.models import Certificate, GeographicalIndication, GILicence
from core.places import son_la_wards

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

# The body that issues 3★ and 4★ certificates in Sơn La (the province People's Committee).
PROVINCE_ISSUER = "UBND tỉnh Sơn La"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_CHOICES = [("", _("All")), ("active", _("Active")), ("expiring", _("Expiring within 30 days")),
                  ("expired", _("Expired")), ("revoked", _("Revoked"))]


class CertificateSearchForm(forms.Form):
    q = forms.CharField(label=_("Number or product"), required=False)
    stars = forms.TypedChoiceField(label=_("Stars"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("All")), (3, "3★"), (4, "4★"), (5, "5★")])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product):
        producer = product.producer.name if product.producer else _("no producer")
        return f"{product.title} — {producer}"


class CertificateForm(forms.ModelForm):
    """Edit a recorded certificate (the product is fixed: a certificate is of one product)."""

    class Meta:
        model = Certificate
        fields = ["stars", "score", "score_a", "score_b", "score_c", "number", "issuer", "level", "issued_on",
                  "expires_on", "potential_five"]
        widgets = {"issued_on": DATE, "expires_on": DATE}
        help_texts = {"expires_on": _("Leave empty for 36 months from the issue date.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].initial = self.fields["issuer"].initial or PROVINCE_ISSUER
        self.fields["level"].initial = self.fields["level"].initial or CouncilLevel.PROVINCE


class CertificateCreateForm(CertificateForm):
    product = ProductChoiceField(
        label=_("Product"), queryset=Product.objects.exclude(structure=Product.PARENT)
        .select_related("producer").order_by("title"))

    class Meta(CertificateForm.Meta):
        fields = ["product", *CertificateForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = rules.today()


class RenewForm(CertificateForm):
    """A new certificate for the same product, prefilled from the old one, issued today."""

    @classmethod
    def initial_from(cls, old: Certificate) -> dict:
        return {"stars": old.stars, "score": old.score, "score_a": old.score_a, "score_b": old.score_b,
                "score_c": old.score_c, "issuer": old.issuer, "level": old.level,
                "potential_five": old.potential_five, "issued_on": rules.today()}


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("Revoked on"), widget=DATE, initial=rules.today,
                         help_text=_("The badge comes down from this day."))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why it was revoked."))
        return reason

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > rules.today():
            raise forms.ValidationError(_("A revocation cannot be dated in the future."))
        return on


def ward_choices(blank: bool = False):
    choices = [(code, name) for code, name in son_la_wards()]
    return [("", "---------"), *choices] if blank else choices


class GIForm(forms.ModelForm):
    area = forms.TypedMultipleChoiceField(
        label=_("Area (wards and communes)"), coerce=int, choices=ward_choices,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or ⌘) to pick several."))

    class Meta:
        model = GeographicalIndication
        fields = ["name", "slug", "registration_number", "registered_on", "managing_body", "product_kind",
                  "description"]
        widgets = {"registered_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make it from the name.")
        if self.instance.pk:
            self.fields["area"].initial = list(self.instance.area.values_list("ward_code", flat=True))

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])
            self.instance.slug = data["slug"]
        return data


class LicenceForm(forms.ModelForm):
    class Meta:
        model = GILicence
        fields = ["gi", "producer", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Partner.objects.order_by("name")
        self.fields["producer"].label_from_instance = (
            lambda partner: f"{partner.name} ({partner.commune})" if partner.commune else partner.name)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: sku_or_upc, producer, stars, score, number, issuer, level, issued_on, and optionally "
        "expires_on, potential_five, score_a, score_b, score_c. UTF-8, comma or semicolon, at most 5 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB: split it into smaller files.")
                                        % {"mb": MAX_BYTES // 2**20})
        return upload
