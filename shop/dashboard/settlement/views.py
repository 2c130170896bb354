"""The office's payout pages. Thin: settlement.payouts / commission / reports act and decide; the
VietQR code of each transfer comes from the shop's own payload builder (shop/payment/vietqr.py)
with the producer's account as the receiver and the payout's reference as the note."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from oscar.core.loading import get_model

from core import csv_safe
from settlement import commission, payouts, reports
from settlement.models import BankAccount, Channel, CommissionRule, Payout, PayoutRun
from settlement.services import SettlementError
from shop.payment import vietqr
from showrooms.models import Showroom

Partner = get_model("partner", "Partner")

MAX_AMOUNT = 10**15  # đồng: anything larger is a typing mistake (and overflows nothing)


def styled(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return form


class RunForm(forms.Form):
    period_start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    minimum = forms.IntegerField(label=gettext_lazy("Minimum payout (đồng)"), min_value=0, max_value=MAX_AMOUNT,
                                 initial=100000)


class RunListView(generic.TemplateView):
    template_name = "oscar/dashboard/settlement/runs.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        last = PayoutRun.objects.order_by("-period_end").first()
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        start = last.period_end + dt.timedelta(days=1) if last else yesterday.replace(day=1)
        ctx.setdefault("form", styled(RunForm(initial={"period_start": min(start, yesterday), "period_end": yesterday,
                                                       "minimum": 100000})))
        ctx["runs"] = PayoutRun.objects.all()[:50]
        ctx["title"] = _("Payout runs")
        return ctx

    def post(self, request, *args, **kwargs):
        form = styled(RunForm(request.POST))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            run = payouts.create_run(user=request.user, **form.cleaned_data)
        except SettlementError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Payout run made: %(count)d transfers.") % {"count": run.payouts.count()})
        return redirect("dashboard:settlement-run", pk=run.pk)


def qr_svg(payout: Payout) -> str:
    if not payout.account_number:
        return ""
    details = vietqr.TransferDetails(
        bank_bin=payout.bank_bin, bank_name=payout.bank_name, account_number=payout.account_number,
        account_name=payout.holder, amount=payout.amount, note=payout.reference,
        payload=vietqr.build_payload(bank_bin=payout.bank_bin, account_number=payout.account_number,
                                     amount=payout.amount, note=payout.reference))
    return details.svg()


class RunDetailView(generic.TemplateView):
    template_name = "oscar/dashboard/settlement/run.html"

    def get_context_data(self, **kwargs):
        from django.utils.safestring import mark_safe

        ctx = super().get_context_data(**kwargs)
        run = get_object_or_404(PayoutRun, pk=self.kwargs["pk"])
        rows = list(run.payouts.select_related("producer", "paid_by").order_by("producer__name"))
        accounts = {a.producer_id: a for a in BankAccount.objects.filter(producer__in=[p.producer_id for p in rows])}
        for payout in rows:
            payout.qr = mark_safe(qr_svg(payout)) if not payout.is_paid else ""  # segno's SVG, our own payload
            now = accounts.get(payout.producer_id)
            payout.changed_after_run = (not payout.is_paid and now is not None
                                        and (now.bank_bin, now.account_number) != (payout.bank_bin, payout.account_number))
        ctx.update(run=run, payouts=rows, total=sum(p.amount for p in rows),
                   title=_("Payout run %(period)s") % {"period": str(run)})
        return ctx


class RunCsvView(generic.View):
    """The bank's bulk-transfer file: one row per transfer still to make."""

    def get(self, request, *args, **kwargs):
        run = get_object_or_404(PayoutRun, pk=kwargs["pk"])
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="payouts-{run.period_start}-{run.period_end}.csv"'
        response.write("\ufeff")  # a BOM first: Excel reads the Vietnamese as UTF-8
        writer = csv_safe.writer(response)
        writer.writerow([_("Bank BIN"), _("Bank"), _("Account number"), _("Account holder"), _("Amount to transfer"),
                         _("Transfer note"), _("Producer")])
        for payout in run.payouts.filter(status=Payout.PENDING).select_related("producer").order_by("pk"):
            writer.writerow([payout.bank_bin, payout.bank_name, payout.account_number, payout.holder,
                             int(payout.amount), payout.reference, payout.producer.name])
        return response


class MarkPaidView(generic.View):
    def post(self, request, *args, **kwargs):
        payout = get_object_or_404(Payout, pk=kwargs["pk"])
        try:
            payouts.mark_paid(payout_id=payout.pk, bank_reference=request.POST.get("bank_reference", "")[:64],
                              user=request.user)
        except SettlementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(producer)s marked paid: we e-mailed them the statement.")
                             % {"producer": payout.producer.name})
        return redirect("dashboard:settlement-run", pk=payout.run_id)


class RuleForm(forms.Form):
    rate = forms.DecimalField(label=gettext_lazy("Commission (%)"), max_digits=5, decimal_places=2)
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    producer = forms.ModelChoiceField(label=gettext_lazy("Producer"), required=False, empty_label=gettext_lazy("Every producer"),
                                      queryset=Partner.objects.exclude(kind="").order_by("name"))
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False,
                                choices=[("", gettext_lazy("Every channel"))] + list(Channel.choices))
    showroom = forms.ModelChoiceField(label=gettext_lazy("Showroom"), required=False, empty_label=gettext_lazy("Any showroom"),
                                      queryset=Showroom.objects.all())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def clean_rate(self):
        rate = self.cleaned_data["rate"]
        if rate is not None and not 0 <= rate <= 100:
            raise ValidationError(_("A commission rate is between 0 and 100 %."))
        return rate


class CommissionView(generic.TemplateView):
    template_name = "oscar/dashboard/settlement/commission.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", styled(RuleForm(initial={"effective_from": timezone.localdate()})))
        ctx.update(rules=CommissionRule.objects.select_related("producer", "showroom", "created_by")[:200],
                   default_rate=commission.default_rate(), title=_("Commission rules"))
        return ctx

    def post(self, request, *args, **kwargs):
        form = styled(RuleForm(request.POST))
        if form.is_valid():
            try:
                commission.add_rule(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Commission rule saved."))
                return redirect("dashboard:settlement-commission")
        return self.render_to_response(self.get_context_data(form=form))


class ReportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportView(generic.TemplateView):
    template_name = "oscar/dashboard/settlement/report.html"

    def period(self):
        today = timezone.localdate()
        form = styled(ReportForm(self.request.GET or None, initial={"start": today.replace(day=1), "end": today}))
        if form.is_bound and form.is_valid() and form.cleaned_data["start"] <= form.cleaned_data["end"]:
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        if form.is_bound and form.is_valid():
            form.add_error(None, _("The period ends before it starts."))
        return form, today.replace(day=1), today

    def get(self, request, *args, **kwargs):
        form, start, end = self.period()
        producers, showrooms, grand = reports.period_report(start, end)
        if request.GET.get("format") == "csv":
            return self.csv(start, end, producers, showrooms, grand)
        return self.render_to_response(self.get_context_data(form=form, start=start, end=end, producers=producers,
                                                             showrooms=showrooms, grand=grand,
                                                             title=_("Settlement report")))

    def csv(self, start, end, producers, showrooms, grand):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="settlement-{start}-{end}.csv"'
        response.write("\ufeff")  # a BOM first: Excel reads the Vietnamese as UTF-8
        writer = csv_safe.writer(response)
        writer.writerow([_("Kind"), _("Name"), _("Sales value"), _("Commission"), _("Returns and refunds"), _("Payouts"),
                         _("Open balance")])
        for row in producers:
            writer.writerow([_("Producer"), row.name, row.sales, row.commission, row.returns, row.payouts, row.balance])
        for row in showrooms:
            name = _("Online") if row.name == "online" else row.name
            writer.writerow([_("Channel"), name, row.sales, row.commission, row.returns, "", ""])
        writer.writerow([_("Total"), "", grand.sales, grand.commission, grand.returns, grand.payouts, grand.balance])
        return response
