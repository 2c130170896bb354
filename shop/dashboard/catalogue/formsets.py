"""Oscar's stock record formset, safe against a post without its management form."""
from oscar.apps.dashboard.catalogue import formsets as oscar_formsets
from oscar.apps.dashboard.catalogue.formsets import *  # noqa: F403  (every other formset as Oscar has it)


class StockRecordFormSet(oscar_formsets.StockRecordFormSet):
    def set_initial_data(self):
        # A bound formset whose management form is missing or broken has no forms: Oscar's
        # pre-selection of the producer's partner read self.forms[0] and raised IndexError (a 500
        # instead of the page with the formset's "ManagementForm data is missing" error).
        if self.forms:
            super().set_initial_data()
