"""The counter's own sign-in and sign-out (issue 19): showroom staff sign in at /pos/login/, not on
the shop's customer page beside a sign-up form; signing out never closes a shift silently."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import access, shifts
from .models import Shift


class CounterSignInForm(AuthenticationForm):
    """E-mail and password; the throttled backend (shop/auth_throttle.py) counts every attempt
    (it reads the POST's "username"). A signed-in customer is refused here, not at the counter."""

    username = forms.CharField(label=gettext_lazy("E-mail"), max_length=254,
                               widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username",
                                                              "class": "big"}))
    password = forms.CharField(label=gettext_lazy("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "class": "big"}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("That e-mail and password do not match a counter account."),
        "not_staff": gettext_lazy("This account is not on the staff of any showroom: the counter is for "
                                  "showroom staff only. Customers sign in on the shop's website."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not access.staff_roles(user).exists():
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


def _next_url(request) -> str:
    """Where to go after signing in: a counter page asked for in ?next=, else the counter."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    counter = resolve_url("pos:counter")
    if wanted.startswith(counter) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return counter


def not_staff_page(request):
    """A signed-in account that works at no showroom: the sign-in page says so (403)."""
    form = CounterSignInForm(request)
    return render(request, "pos/login.html", {"form": form, "refused": True}, status=403)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request):
    if request.method == "GET" and request.user.is_authenticated and access.staff_roles(request.user).exists():
        return redirect(_next_url(request))
    form = CounterSignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(_next_url(request))
    return render(request, "pos/login.html", {"form": form, "next": _next_url(request),
                                              "refused": False}, status=200)


@require_POST
def sign_out(request):
    """POST only. With a shift still open the cashier is asked first: close it, or sign out and
    leave it open (the drawer stays counted in that shift until someone closes it)."""
    if request.user.is_authenticated:
        open_shift = Shift.objects.open().filter(cashier=request.user).select_related("showroom").first()
        if open_shift is not None and request.POST.get("leave_open") != "1":
            return render(request, "pos/logout_confirm.html", {
                "shift": open_shift, "showroom": open_shift.showroom,
                "expected": shifts.expected_cash(open_shift)})
        logout(request)
        if open_shift is not None:
            messages.warning(request, _("You are signed out. Your shift at %(showroom)s is still open.")
                             % {"showroom": open_shift.showroom.name})
        else:
            messages.success(request, _("You are signed out."))
    return redirect("pos:login")
