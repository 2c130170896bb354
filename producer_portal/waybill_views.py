"""The producer's waybill with the configured carrier (carriers/): create it for their lines of an
order, print its label, cancel it while the carrier has not picked the parcel up. The carrier is
called outside any transaction (carriers/shipments.py); its failures come back as a message."""
from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic

from carriers import shipments
from shop.partner.scoping import own_order_or_404

from .views import ProducerMixin


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class WaybillView(ProducerMixin, generic.View):
    def order(self):
        return own_order_or_404(self.partner, self.kwargs["number"])

    def back(self, order):
        return redirect("dashboard:producer-order", number=order.number)


class WaybillCreateView(WaybillView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        order = self.order()
        try:
            shipment = shipments.create_waybill(order=order, partner=self.partner, user=request.user)
        except shipments.WaybillError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Waybill %(code)s created: print the label and stick it on the parcel.")
                             % {"code": shipment.waybill})
        return self.back(order)


class WaybillCancelView(WaybillView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        order = self.order()
        shipment = shipments.open_shipment(order, self.partner)
        if shipment is None:
            raise Http404
        try:
            shipments.cancel_waybill(shipment=shipment)
        except shipments.WaybillError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Waybill cancelled."))
        return self.back(order)


class WaybillLabelView(WaybillView):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        order = self.order()
        shipment = shipments.open_shipment(order, self.partner)
        if shipment is None or not shipment.waybill:
            raise Http404
        try:
            content, kind = shipments.label(shipment=shipment)
        except shipments.WaybillError as error:
            messages.error(request, str(error))
            return self.back(order)
        response = HttpResponse(content, content_type=kind)
        if kind.startswith("application/pdf"):
            response["Content-Disposition"] = f'inline; filename="{shipment.waybill}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
