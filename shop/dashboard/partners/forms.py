"""Oscar's partner dashboard forms, plus the producer profile the OCOP office keeps on a partner."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.partners.forms import *  # noqa: F403  (every other form as Oscar has it)
from oscar.core.loading import get_model

from core.places import son_la_wards

Partner = get_model("partner", "Partner")


class ProducerProfileForm(forms.ModelForm):
    ward_code = forms.TypedChoiceField(
        label=_("Ward or commune"), required=False, coerce=int, empty_value=None,
        choices=lambda: [("", "---------"), *son_la_wards()],
        help_text=_("Current two-level unit (since 1 July 2025)."))

    class Meta:
        model = Partner
        fields = ["kind", "ward_code", "phone", "contact_email", "story", "logo"]
        widgets = {"story": forms.Textarea(attrs={"rows": 5})}
