"""The shopper's own account pages beside Oscar's: how the shop reaches them (e-mail, Zalo, SMS), and
their personal data (download it, close the account). The rules live in notifications/ and privacy/."""
from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from notifications.forms import ContactPreferenceForm, preference_of
from privacy import erasure, export, notice


class AccountPage(LoginRequiredMixin):
    active_tab = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["active_tab"] = self.active_tab
        return ctx


class ContactPreferenceView(AccountPage, generic.FormView):
    template_name = "oscar/customer/contact_preference.html"
    active_tab = "contact"

    def get_form(self, form_class=None):
        return ContactPreferenceForm(data=self.request.POST if self.request.method == "POST" else None,
                                     instance=preference_of(user=self.request.user))

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your message settings are saved."))
        return redirect("account-messages")


class CloseAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return ""


class MyDataView(AccountPage, generic.FormView):
    """Download what the shop keeps, or close the account (the password confirms it is them)."""

    template_name = "oscar/customer/my_data.html"
    active_tab = "my-data"

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return CloseAccountForm(data=data, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["retention_years"] = notice.retention().days // 365
        return ctx

    def form_valid(self, form):
        erasure.close_account(self.request.user)
        logout(self.request)
        messages.success(self.request, _("Your account is closed and its personal data erased. Your orders are "
                                         "kept for accounting and anonymised when the legal period ends."))
        return redirect("home")


class DownloadMyDataView(LoginRequiredMixin, generic.View):
    def get(self, request, *args, **kwargs):
        body = json.dumps(export.personal_data(request.user), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"ocop-du-lieu-ca-nhan-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class PrivacyNoticeView(generic.TemplateView):
    template_name = "privacy/notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(notice_version=notice.version(), retention_years=notice.retention().days // 365)
        return ctx
