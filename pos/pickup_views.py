"""The showroom's pick-up list and desk: online orders collected here. Rules in pickups/services.py
and pos/pickup.py; these views read input, ask them, and answer."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.templatetags.currency_filters import currency

from catalog_ext.badges import badges_for, with_badges
from pickups import selectors
from pickups import services as pickups
from pickups.models import Pickup, State
from shop.order.tracking import tracking_url

from . import pickup as desk
from .errors import PosError
from .models import PickupPayment
from .sale import Tender
from .views import Product, _amount, _int, counter_view


def _pickup(number) -> Pickup:
    """Any showroom's pick-up by order number: the page says when it is another showroom's."""
    pickup = (Pickup.objects.select_related("order", "order__shipping_address", "showroom")
              .filter(order__number=str(number)[:128]).first())
    if pickup is None:
        raise Http404
    return pickup


@counter_view
def pickup_list(request):
    showroom = request.pos_showroom
    query = request.GET.get("q", "").replace("\x00", "").strip()  # a NUL is never typed; PostgreSQL refuses it
    tab = request.GET.get("tab", State.READY)
    if tab not in {s.value for s in selectors.TABS}:
        tab = State.READY
    found = list(selectors.find(query)) if query else None
    if found is not None and len(found) == 1 and found[0].showroom_id == showroom.pk:
        return redirect("pos:pickup", number=found[0].order.number)
    rows = found if found is not None else list(selectors.tab(showroom, tab)[:100])
    return render(request, "pos/pickups.html", {
        "showroom": showroom, "shift": request.pos_shift, "tabs": [(s.value, s.label) for s in selectors.TABS],
        "tab": tab, "counts": selectors.counts(showroom), "rows": rows, "query": query,
        "hold_days": pickups.hold_days(), "goods_days": pickups.goods_days()})


@counter_view
def pickup_detail(request, number):
    pickup = _pickup(number)
    order = pickup.order
    lines = list(order.lines.select_related("stockrecord", "product").order_by("pk"))
    waiting = {line.pk for line in pickups.lines_waiting(pickup)}
    here = pickup.showroom_id == request.pos_showroom.pk
    if not here:
        messages.error(request, _("Order %(number)s is to be collected at %(showroom)s (%(address)s), not here.")
                       % {"number": order.number, "showroom": pickup.showroom.name, "address": pickup.showroom.address})
    due = desk.amount_due(order)
    return render(request, "pos/pickup.html", {
        "showroom": request.pos_showroom, "shift": request.pos_shift, "pickup": pickup, "order": order, "here": here,
        "lines": [(line, line.pk in waiting) for line in lines], "due": due, "due_int": int(due),
        "cancelled": order.status == "Cancelled", "collect_by": pickups.collect_by(pickup),
        "payments": PickupPayment.objects.filter(order=order).select_related("cashier")})


@require_POST
@counter_view
def pickup_receive(request, number):
    pickup = _pickup(number)
    line_ids = [_int(pk) for pk in request.POST.getlist("line")] or None
    try:
        received = desk.receive(pickup_id=pickup.pk, showroom=request.pos_showroom, user=request.user,
                                line_ids=line_ids)
    except PosError as exc:
        messages.error(request, str(exc))
        return redirect("pos:pickup", number=pickup.order.number)
    pickup.refresh_from_db()
    if not received:
        messages.info(request, _("Nothing to receive: these goods were already received."))
    elif pickup.state == State.READY:
        messages.success(request, _("Goods received: the order is ready and the shopper is told."))
    else:
        messages.success(request, _("Goods received; the order still waits for other goods."))
    return redirect("pos:pickup", number=pickup.order.number)


@require_POST
@counter_view
def pickup_collect(request, number):
    pickup = _pickup(number)
    tender = Tender(cash_tendered=_amount(request.POST.get("cash_tendered")),
                    vietqr_amount=_amount(request.POST.get("vietqr_amount")),
                    vietqr_confirmed=bool(request.POST.get("vietqr_confirmed")),
                    card_amount=_amount(request.POST.get("card_amount")),
                    card_reference=request.POST.get("card_reference", ""))
    try:
        pickup, handed, change = desk.collect(pickup_id=pickup.pk, showroom=request.pos_showroom,
                                              shift=request.pos_shift, user=request.user, tender=tender)
    except PosError as exc:  # back to the order's page, with why
        messages.error(request, str(exc))
        return redirect("pos:pickup", number=pickup.order.number)
    if handed:
        text = _("Order %(number)s handed over.") % {"number": pickup.order.number}
        if change:
            text += " " + _("Change: %(change)s.") % {"change": currency(change)}
        messages.success(request, text)
    else:
        who = pickup.collected_by.get_full_name() if pickup.collected_by else ""
        messages.warning(request, _("Order %(number)s was already handed over (%(when)s %(who)s): nothing was done "
                                    "twice.") % {"number": pickup.order.number, "who": who,
                                                 "when": pickup.collected_at.strftime("%d/%m %H:%M")})
    return redirect("pos:pickup-receipt", number=pickup.order.number)


@counter_view
def pickup_receipt(request, number):
    pickup = _pickup(number)
    if pickup.showroom_id != request.pos_showroom.pk:
        raise Http404
    if pickup.state != State.COLLECTED:  # (a PosError on a GET would redirect to itself)
        messages.error(request, _("Order %(number)s has not been handed over yet.") % {"number": pickup.order.number})
        return redirect("pos:pickup", number=pickup.order.number)
    order = pickup.order
    lines = list(order.lines.select_related("product"))
    products = with_badges(Product.objects.filter(pk__in=[line.product_id for line in lines]))
    stars = {p.pk: badges_for(p).star_glyphs for p in products}
    import segno

    link = tracking_url(order, request)
    return render(request, "pos/pickup_receipt.html", {
        "pickup": pickup, "order": order, "showroom": pickup.showroom, "link": link,
        "qr": segno.make(link, error="m").svg_inline(scale=2, border=1),
        "lines": [(line, stars.get(line.product_id, "")) for line in lines],
        "payments": list(PickupPayment.objects.filter(order=order)),
        "paid_online": order.total_incl_tax - sum((p.amount for p in PickupPayment.objects.filter(order=order)), 0)})
