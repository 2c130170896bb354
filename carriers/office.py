"""The office's COD reconciliation page: import a carrier's payout statement, see what the
carriers collected and have not paid out yet, and every mismatch."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import cod, registry

MAX_BYTES = 5 * 1024 * 1024


@staff_member_required
def cod_page(request):
    if request.method == "POST":
        upload = request.FILES.get("statement")
        carrier = request.POST.get("carrier", "")
        if carrier not in registry.ADAPTERS or upload is None or upload.size > MAX_BYTES:
            messages.error(request, _("Choose the carrier and a statement, CSV or XLSX (at most 5 MB)."))
            return redirect("carriers-office:cod")
        result = cod.import_statement(carrier=carrier, statement=upload.name, data=upload.read())
        for error in result.errors[:20]:
            messages.error(request, error)
        messages.success(request, _("%(added)s payout lines imported, %(already)s already known.")
                         % {"added": result.added, "already": result.already})
        return redirect("carriers-office:cod")
    waiting, mismatched = cod.reconciliation()
    return render(request, "carriers/cod.html", {
        "waiting": waiting, "mismatched": mismatched, "carriers": registry.ADAPTERS.values(),
        "waiting_total": sum((r.collected for r in waiting), 0)})



