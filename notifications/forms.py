"""The "how should we reach you" form, for a shopper's account and a producer's portal alike."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .channels import sms, zns
from .models import ContactPreference
from .recipients import phone_84


class ContactPreferenceForm(forms.ModelForm):
    """E-mail, Zalo, SMS: a channel whose provider is not configured is not offered."""

    class Meta:
        model = ContactPreference
        fields = ["by_email", "by_zalo", "by_sms", "phone"]

    def __init__(self, *args, fallback_phone: str = "", for_producer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback_phone = fallback_phone
        if for_producer:  # a producer's e-mail and portal notice always go (notifications.models.Notification)
            del self.fields["by_email"]
        if not zns.is_configured():
            del self.fields["by_zalo"]
        if not sms.is_configured():
            del self.fields["by_sms"]
        if "by_zalo" not in self.fields and "by_sms" not in self.fields:
            del self.fields["phone"]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not phone_84(phone):
            raise forms.ValidationError(_("Enter a Vietnamese mobile number, e.g. 0912 345 678."))
        return phone

    def clean(self):
        cleaned = super().clean()
        wants_phone = cleaned.get("by_zalo") or cleaned.get("by_sms")
        if wants_phone and not (cleaned.get("phone") or phone_84(self.fallback_phone)):
            self.add_error("phone", _("Zalo and SMS need a mobile number."))
        return cleaned


def preference_of(*, user=None, partner=None) -> ContactPreference:
    """The saved preference, or an unsaved default (e-mail only) for the form."""
    owner = {"user": user} if user is not None else {"partner": partner}
    return ContactPreference.objects.filter(**owner).first() or ContactPreference(**owner)
