"""The Vietnamese address form: one full name, a phone checked as a Vietnamese number, province →
ward/commune (two levels since 1 July 2025, no district), a street line, no postcode.

Shared by the checkout's shipping address form and the customer's address book. Mapping onto
Oscar's address fields (so Oscar's summaries read naturally: "Nguyễn Thu Hà, 12 Tô Hiệu, Phường
Tô Hiệu, Sơn La"): first_name = family and middle names, last_name = given name (the last
word: Oscar prints first_name before last_name, which is Vietnamese order), line1 = street,
line4 = ward/commune name, state = province name, plus province_code and ward_code."""
from __future__ import annotations

import re

import phonenumbers
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from core import places

Country = get_model("address", "Country")

# Letters are refused outright: phonenumbers would read "1800-FLOWERS" style letters as digits.
PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s]{1,32}$")
MAX_WARD_CODE = 10**6


def parse_vietnamese_phone(value: str) -> PhoneNumber | None:
    """A Vietnamese mobile or landline number in any usual spelling (0912 345 678, +84 912…),
    or None when it is not one."""
    value = (value or "").strip()
    if not PHONE_CHARACTERS.match(value):
        return None
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number_for_region(number, "VN"):
        return None
    return PhoneNumber.from_string(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def vietnam():
    """The one shipping country. A fresh install that never loaded Oscar's country list gets it
    here, rather than a checkout that fails on a field the shopper cannot see."""
    country, _ = Country.objects.get_or_create(iso_3166_1_a2="VN", defaults={
        "iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704", "printable_name": "Việt Nam",
        "name": "Cộng hòa Xã hội Chủ nghĩa Việt Nam", "is_shipping_country": True})
    return country


def as_typed(phone) -> str:
    """A stored phone ("+84912345678" or a PhoneNumber) as a Vietnamese types it: "0912 345 678"."""
    try:
        number = phone if isinstance(phone, PhoneNumber) else PhoneNumber.from_string(str(phone), region="VN")
    except phonenumbers.NumberParseException:
        return str(phone)
    return number.as_national if number.is_valid() else str(phone)


def split_full_name(full_name: str) -> tuple[str, str]:
    """'Nguyễn Thu Hà' -> ('Nguyễn Thu', 'Hà'): Oscar's first_name, last_name."""
    words = full_name.split()
    return " ".join(words[:-1]), (words[-1] if words else "")


class NameAndPhoneMixin:
    """A person's full name (spaces tidied) and a Vietnamese phone number, as every form that asks
    who receives an order reads them (a delivery address, a pick-up at a showroom)."""

    missing_name_message = _("Enter the recipient's full name.")

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(self.missing_name_message)
        return name

    def clean_phone_number(self):
        number = parse_vietnamese_phone(self.cleaned_data["phone_number"])
        if number is None:
            raise forms.ValidationError(_("This phone number is not valid."))
        return number


class VietnameseAddressMixin(NameAndPhoneMixin, forms.Form):
    """Put before a ModelForm on an Oscar address model with province_code and ward_code (a Form,
    so that its fields are declared). Meta.fields should be ["line1", "phone_number", "notes"] (the rest is set in clean())."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    phone_number = forms.CharField(
        label=_("Phone number"), max_length=32,
        help_text=_("A Vietnamese mobile or landline number: the carrier calls it on delivery."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    province = forms.TypedChoiceField(
        label=_("Province or city"), coerce=int, choices=(),
        error_messages={"invalid_choice": _("Choose a province or city from the list.")})
    ward = forms.IntegerField(
        label=_("Ward or commune"), min_value=1, max_value=MAX_WARD_CODE,
        error_messages={"invalid": _("Choose a ward or commune from the list."),
                        "min_value": _("Choose a ward or commune from the list."),
                        "max_value": _("Choose a ward or commune from the list.")})

    ADDRESS_FIELD_ORDER = ("full_name", "phone_number", "province", "ward", "line1", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = vietnam()
        self.fields["province"].choices = places.provinces()
        self.fields["province"].widget.attrs.update({
            "data-ocop-province": "", "data-wards-url": reverse_lazy("checkout:wards"), "autocomplete": "address-level1"})
        self.fields["line1"].label = _("House number, street, hamlet")
        self.fields["line1"].required = True
        self.fields["line1"].widget.attrs.setdefault("autocomplete", "street-address")
        self._set_initial_values()
        province = self._province_for_wards()
        self.fields["ward"].widget = forms.Select(
            choices=[("", _("– choose a ward or commune –")), *places.wards(province)],
            attrs={"data-ocop-ward": "", "autocomplete": "address-level2"})
        self.order_fields(self.ADDRESS_FIELD_ORDER)

    def _set_initial_values(self):
        def known(name):
            return self.initial.get(name) or getattr(self.instance, name, None)

        names = " ".join(n for n in (known("first_name"), known("last_name")) if n)
        if names and "full_name" not in self.initial:
            self.initial["full_name"] = names
        self.initial.setdefault("province", known("province_code") or places.SON_LA)
        if known("ward_code"):
            self.initial.setdefault("ward", known("ward_code"))
        phone = known("phone_number")
        if phone:
            self.initial["phone_number"] = as_typed(phone)

    def _province_for_wards(self) -> int:
        """Whose wards the select lists: the province the shopper just chose, if it is a real one."""
        chosen = self.data.get(self.add_prefix("province")) if self.is_bound else self.initial.get("province")
        try:
            code = int(chosen)
        except (TypeError, ValueError, OverflowError):
            return places.SON_LA
        return code if places.province_name(code) else places.SON_LA


    def clean(self):
        cleaned = super().clean()
        province, ward_code = cleaned.get("province"), cleaned.get("ward")
        if province and ward_code:
            ward = places.ward(ward_code)
            if ward is None:
                self.add_error("ward", _("Choose a ward or commune from the list."))
            elif ward.province_code.value != province:
                self.add_error("ward", _("This ward or commune is not in the chosen province."))
            else:
                self._apply_place(province, ward)
        if cleaned.get("full_name"):
            self.instance.first_name, self.instance.last_name = split_full_name(cleaned["full_name"])
        return cleaned

    def _apply_place(self, province: int, ward):
        self.instance.province_code = province
        self.instance.state = places.province_name(province)
        self.instance.ward_code = ward.code.value
        self.instance.line4 = ward.name
        self.instance.postcode = ""
