"""Oscar's dashboard catalogue views, with answers to bad posts that were 500s, and the product's
stock history under its stock records."""
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.views import *  # noqa: F403  (every other view as Oscar has it)

from shop.partner import stock
from shop.partner.ledger_view import ledger_rows


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = getattr(self, "object", None)
        if product is not None and product.pk:
            ctx["stock_histories"] = [
                (record, ledger_rows(stock.history(record), order_url=_office_order_url))
                for record in product.stockrecords.select_related("partner").order_by("pk")]
        return ctx

    def forms_valid(self, form, formsets):
        try:
            with transaction.atomic():
                return super().forms_valid(form, formsets)
        except stock.StockError as error:  # orders took units between the page and the save
            messages.error(self.request, str(error))
            return self.forms_invalid(form, formsets)


def _office_order_url(line):
    return reverse("dashboard:order-detail", kwargs={"number": line.order.number})


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
