"""Oscar's dashboard catalogue views, with two answers to bad posts that were 500s."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.views import *  # noqa: F403  (every other view as Oscar has it)


class CategoryUpdateView(oscar_views.CategoryUpdateView):
    def form_invalid(self, form):
        # The rejected values are on the form's instance (an empty name leaves an empty slug, and
        # the page's "View on site" link then failed to reverse): the page shows the saved category.
        self.object = type(self.object).objects.get(pk=self.object.pk)
        return super().form_invalid(form)


class ProductClassDeleteView(oscar_views.ProductClassDeleteView):
    # Oscar confirms with the type's own edit form, rendered empty on the page: a delete then asked
    # for a name to be typed in first. The button alone confirms.
    form_class = forms.Form

    def form_valid(self, form):
        # Oscar's page says a type still in use cannot be deleted but deleted it on POST anyway:
        # its products protect it (ProtectedError, a 500).
        count = self.object.products.count()
        if count:
            messages.error(self.request, _("%i products are still assigned to this type") % count)
            return redirect("dashboard:catalogue-class-list")
        return super().form_valid(form)
