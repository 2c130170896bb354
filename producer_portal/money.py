"""The producer's "Revenue & payouts" page: balance, pending, last payouts, the month's statement
(CSV, PDF), the chart of net sales by product, and their bank account. Thin: settlement reads
and writes; this module only scopes to the signed-in producer and renders."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import csv_safe
from settlement import accounts, banks, pdf, statements
from settlement.models import BankAccount, BankAccountChange

from .views import ProducerMixin


def chosen_month(value: str | None) -> tuple[int, int]:
    """?month=YYYY-MM; anything else (or a month in the future) is this month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        start = dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    if start > today or year < 2000:
        return today.year, today.month
    return year, month


def statement_for(partner, month_value):
    year, month = chosen_month(month_value)
    start, end = statements.month_bounds(year, month)
    rows = statements.statement_rows(partner, start=start, end=end)
    totals = {"gross": sum(r.gross for r in rows), "commission": sum(r.commission for r in rows),
              "net": sum(r.net for r in rows)}
    return (year, month), rows, totals


class MoneyView(ProducerMixin, generic.TemplateView):
    template_name = "producer_portal/money.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        (year, month), rows, totals = statement_for(self.partner, self.request.GET.get("month"))
        today = timezone.localdate()
        ctx.update(summary=statements.summary(self.partner), rows=rows, totals=totals,
                   month=f"{year:04d}-{month:02d}", month_label=f"{month:02d}/{year}",
                   months=[f"{y:04d}-{m:02d}" for y, m in reversed(statements.months_back(today, 12))],
                   chart=mark_safe(statements.chart_svg(self.partner, today=today)),  # built from escaped parts
                   account=BankAccount.objects.filter(producer=self.partner).first())
        return ctx


class StatementCsvView(ProducerMixin, generic.View):
    def get(self, request, *args, **kwargs):
        (year, month), rows, totals = statement_for(self.partner, request.GET.get("month"))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="statement-{self.partner.code}-'
                                           f'{year:04d}-{month:02d}.csv"')
        response.write("\ufeff")  # a BOM first: Excel reads the Vietnamese as UTF-8
        writer = csv_safe.writer(response)
        writer.writerow([_("Date"), _("Order or receipt"), _("Product"), _("Quantity"), _("Gross"), _("Commission"),
                         _("Net")])
        for row in rows:
            writer.writerow([row.date.isoformat(), row.document, row.product, row.quantity, row.gross,
                             row.commission, row.net])
        writer.writerow(["", "", _("Total"), "", totals["gross"], totals["commission"], totals["net"]])
        return response


class StatementPdfView(ProducerMixin, generic.View):
    def get(self, request, *args, **kwargs):
        (year, month), rows, totals = statement_for(self.partner, request.GET.get("month"))
        title = _("Statement %(month)02d/%(year)d") % {"month": month, "year": year}
        body = pdf.statement_pdf(producer=self.partner, title=title, rows=rows, totals=totals,
                                 summary=statements.summary(self.partner))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = (f'attachment; filename="statement-{self.partner.code}-'
                                           f'{year:04d}-{month:02d}.pdf"')
        return response


class BankAccountForm(forms.Form):
    bank_bin = forms.ChoiceField(label=gettext_lazy("Bank"), choices=[("", "—")] + banks.choices())
    account_number = forms.CharField(label=gettext_lazy("Account number"), max_length=30,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    holder = forms.CharField(label=gettext_lazy("Account holder"), max_length=100,
                             help_text=gettext_lazy("As the bank writes it, e.g. HTX CHE TA XUA."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_account_number(self):
        value = self.cleaned_data["account_number"].replace(" ", "")
        if not value.isascii() or not value.isdigit() or not 6 <= len(value) <= 19:
            raise ValidationError(_("An account number is 6 to 19 digits, nothing else."))
        return value


class BankAccountView(ProducerMixin, generic.FormView):
    template_name = "producer_portal/bank_account.html"
    form_class = BankAccountForm

    def get_initial(self):
        account = BankAccount.objects.filter(producer=self.partner).first()
        if account is None:
            return {}
        return {"bank_bin": account.bank_bin, "account_number": account.account_number, "holder": account.holder}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["changes"] = BankAccountChange.objects.filter(producer=self.partner).select_related("changed_by")[:10]
        return ctx

    def form_valid(self, form):
        try:
            change = accounts.save_account(producer=self.partner, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        if change is None:
            messages.info(self.request, _("Nothing changed."))
        else:
            messages.success(self.request, _("Bank account saved. We sent you an e-mail to confirm the change."))
        return redirect("dashboard:producer-money")
