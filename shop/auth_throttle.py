"""Login throttling (django-axes): how attempts are counted, and the page a locked-out person sees.

Every login form of the project (the shop's /accounts/login/, which the counter's sign-in also
uses; the dashboard's; /admin/'s) calls django.contrib.auth.authenticate(request=...), so the one
backend below guards them all. Settings: shop/settings.py, "security: login throttling".
"""
from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


class ThrottledBackend(AxesStandaloneBackend):
    """Refuses a locked-out username+address before any password is checked.

    authenticate() without a request comes only from code, never from a form: Oscar's registration
    signs in the account it has just created (its RegisterUserMixin passes no request) and the test
    client's login(). There is no client to count there, so it passes on to the next backend
    instead of failing as AxesStandaloneBackend would (which broke sign-up)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def username(request, credentials) -> str:
    """The attempted username as counted: what was typed in the form, case and spaces aside.

    The typed value first: on a success axes passes the account's own username (Oscar's are not
    the e-mail people type), so only the typed value lets a success reset the failures it follows.
    The shop's form posts login-username, the dashboard's and admin's username."""
    value = None
    if request is not None and request.method == "POST":
        value = request.POST.get("login-username") or request.POST.get("username")
    if not value:
        value = (credentials or {}).get("username")
    return (value or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """429 in the shop's look, in the visitor's language, with how long to wait."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, "ocop/security/locked_out.html",
                      {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
