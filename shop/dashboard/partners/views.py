"""Oscar's partner dashboard views; the partner page also edits the producer profile."""
from oscar.apps.dashboard.partners import views as oscar_views
from oscar.apps.dashboard.partners.views import *  # noqa: F403  (every other view as Oscar has it)
from oscar.core.loading import get_class

ProducerProfileForm = get_class("dashboard.partners.forms", "ProducerProfileForm")


class PartnerManageView(oscar_views.PartnerManageView):
    """Oscar's page (name, address, users) with the producer profile in the same form."""

    def get_profile_form(self):
        bound = self.request.method == "POST"
        return ProducerProfileForm(data=self.request.POST if bound else None,
                                   files=self.request.FILES if bound else None,
                                   instance=self.partner, prefix="profile")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["profile_form"] = kwargs.get("profile_form") or self.get_profile_form()
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, profile_form = self.get_form(), self.get_profile_form()
        if form.is_valid() and profile_form.is_valid():
            profile_form.save()
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, profile_form=profile_form))


class PartnerDeleteView(oscar_views.PartnerDeleteView):
    """A partner whose sales, ledger rows, payouts or transfers must be kept is protected by them:
    Oscar deleted anyway and got a ProtectedError (a 500, found by the bad-input crawl). Say why instead."""

    def form_valid(self, form):
        from django.contrib import messages
        from django.db.models import ProtectedError
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("%(name)s has sales, payouts or other records that must be kept: it "
                                           "cannot be deleted.") % {"name": self.object.name})
            return redirect("dashboard:partner-manage", pk=self.object.pk)
