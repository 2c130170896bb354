from oscar.apps.dashboard.offers import forms as oscar_forms
from oscar.apps.dashboard.offers.forms import *  # noqa: F403  (every other form as Oscar has it)


class RestrictionsForm(oscar_forms.RestrictionsForm):
    def clean(self):
        # Oscar's clean read cleaned_data["combinations"] (and "exclusive") even when that field
        # had failed validation (an offer id that is no offer): KeyError, a 500. The field's own
        # error is shown instead; the cross-field check needs both values.
        if "combinations" not in self.cleaned_data or "exclusive" not in self.cleaned_data:
            return self.cleaned_data
        return super().clean()
