"""The OCOP office's view of the counters: every showroom's shifts, and each day's sales online
and at the counters side by side (chart and CSV)."""
from __future__ import annotations

import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.ids import row_id
from showrooms.models import Showroom

from . import reports
from .models import Shift


@staff_member_required
def shifts(request):
    qs = Shift.objects.select_related("showroom", "cashier").order_by("-opened_at")
    showroom = request.GET.get("showroom", "")
    showroom_id = row_id(showroom)  # None (every showroom) for anything that is no id
    if showroom_id is not None:
        qs = qs.filter(showroom_id=showroom_id)
    return render(request, "pos/office/shifts.html", {"shifts": qs[:100], "showrooms": Showroom.objects.all(),
                                                      "chosen": showroom})


@staff_member_required
def daily(request):
    days = reports.daily()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ocop-sales-by-day.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Date"), _("Online orders"), _("Online total"), _("Counter sales"), _("Counter total")])
        for d in days:
            writer.writerow([d.day.isoformat(), d.online_orders, int(d.online_total), d.pos_orders, int(d.pos_total)])
        return response
    peak = max([max(d.online_total, d.pos_total) for d in days] + [1])
    bars = [(d, int(d.online_total * 100 / peak), int(d.pos_total * 100 / peak)) for d in days]
    return render(request, "pos/office/daily.html", {"bars": bars,
                                                     "online_total": sum(d.online_total for d in days),
                                                     "pos_total": sum(d.pos_total for d in days)})
