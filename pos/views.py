"""The counter's pages and its JSON endpoints. Rules live in the service modules (cart, sale,
shifts, returns, stock); views only read input, ask them, and answer."""
from __future__ import annotations

import functools
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from banking import sepay as bank_webhook
from banking import services as bank_transfers
from catalog_ext.badges import badges_for, with_badges
from core.ids import MAX_ID
from shop.order.tracking import tracking_url
from shop.payment import vietqr

from . import access, auth_views, returns, shifts, stock
from . import cart as carts
from . import sale as sales
from .errors import PosError
from .models import DENOMINATIONS, MONEY, PosSale, Shift
from .reports import z_report

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

QUICK_NOTES = (500000, 200000, 100000, 50000)
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - 1  # what a money column holds


def counter_view(view):
    """Signed-in showroom staff only; sets request.pos_staff, pos_showroom (the shelf strategy
    reads it) and pos_shift (None when no shift is open)."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("pos:login"))
        try:
            staff = access.counter_for(request)
        except PermissionDenied:
            if request.path.startswith(reverse("pos:counter") + "api/"):
                raise
            return auth_views.not_staff_page(request)  # a customer account: said plainly, 403
        request.pos_staff, request.pos_showroom = staff, staff.showroom
        request.pos_shift = shifts.open_shift_of(request.user, staff.showroom)
        try:
            return view(request, *args, **kwargs)
        except PosError as exc:
            if request.path.startswith(reverse("pos:counter") + "api/"):
                return JsonResponse({"error": str(exc)}, status=exc.status)
            messages.error(request, str(exc))
            if request.method == "GET":
                return redirect(request.get_full_path())
            back = request.META.get("HTTP_REFERER", "")
            safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
            return redirect(back if safe else reverse("pos:counter"))
    return wrapped


def _body(request) -> dict:
    """The JSON object the counter's page sends. Any other body (a form, which the CSRF check has
    already read from the stream, or JSON that is not an object) is refused with a message."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RawPostDataException):
        raise PosError(_("The request could not be read.")) from None
    if not isinstance(data, dict):
        raise PosError(_("The request could not be read."))
    return data


def _amount(value, default=Decimal(0)) -> Decimal:
    if value in (None, ""):
        return default
    try:
        amount = Decimal(str(value).replace(".", "").replace(" ", "")) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        raise PosError(_("Enter amounts as whole numbers of đồng.")) from None
    if isinstance(value, bool) or not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise PosError(_("Enter amounts as whole numbers of đồng."))
    return amount


def _int(value, default=0) -> int:
    """A whole number the database can hold (ids, quantities, versions are 64-bit at most)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise PosError(_("Enter a whole number.")) from None
    if isinstance(value, bool) or not -MAX_ID <= number <= MAX_ID:
        raise PosError(_("Enter a whole number."))
    return number


def _flag(value) -> bool:
    """A yes/no the counter's page sends: JSON true or false (or absent: false), nothing else.
    Issue 20: `"vietqr_confirmed": "no"` was taken as true by bool(), so a transfer nobody had
    seen arrive was recorded as paid."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    raise PosError(_("Answer yes or no with true or false."))


# ---------------------------------------------------------------------------- pages
@counter_view
def counter(request):
    if request.pos_shift is None:
        return render(request, "pos/shift_open.html", {"showroom": request.pos_showroom,
                                                       "roles": access.staff_roles(request.user)})
    cart = carts.cart_for(request.user, request.pos_showroom)
    return render(request, "pos/counter.html", {
        "showroom": request.pos_showroom, "shift": request.pos_shift, "staff": request.pos_staff,
        "cart_json": carts.as_json(cart), "quick_notes": QUICK_NOTES,
    })


@require_POST
@counter_view
def choose_showroom(request):
    wanted = _int(request.POST.get("showroom"))
    if not any(r.showroom_id == wanted for r in access.staff_roles(request.user)):
        raise PermissionDenied
    request.session[access.SESSION_KEY] = wanted
    return redirect("pos:counter")


@require_POST
@counter_view
def shift_open(request):
    shifts.open_shift(user=request.user, showroom=request.pos_showroom,
                      opening_float=_amount(request.POST.get("opening_float"), None))
    return redirect("pos:counter")


@counter_view
def shift_cash(request):
    shift = request.pos_shift
    if shift is None:
        return redirect("pos:counter")
    if request.method == "POST":
        shifts.record_movement(shift=shift, kind=request.POST.get("kind", ""),
                               amount=_amount(request.POST.get("amount"), None), reason=request.POST.get("reason", ""))
        messages.success(request, _("Cash movement recorded."))
        return redirect("pos:shift-cash")
    return render(request, "pos/shift_cash.html", {"shift": shift, "showroom": request.pos_showroom,
                                                   "expected": shifts.expected_cash(shift)})


@counter_view
def shift_close(request):
    shift = request.pos_shift
    if shift is None:
        return redirect("pos:counter")
    counted = {str(d): request.POST.get(f"n{d}", "") for d in DENOMINATIONS}
    note, error = request.POST.get("note", ""), ""
    if request.method == "POST":
        try:
            closed = shifts.close_shift(shift=shift, counted=counted, note=note)
        except PosError as exc:  # issue 19: the form comes back with every count and the note kept
            error = str(exc)
        else:
            return redirect("pos:shift-report", pk=closed.pk)
    return render(request, "pos/shift_close.html", {
        "shift": shift, "showroom": request.pos_showroom, "error": error, "note": note,
        "rows": [(d, counted[str(d)][:12]) for d in DENOMINATIONS], "expected": shifts.expected_cash(shift)})


def _visible_shift(request, pk) -> Shift:
    shift = get_object_or_404(Shift.objects.select_related("showroom", "cashier"), pk=pk)
    if not (request.user.is_staff or shift.showroom.role_of(request.user)):
        raise Http404
    return shift


def shift_report(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("pos:login"))
    shift = _visible_shift(request, pk)
    return render(request, "pos/z_report.html", {"report": z_report(shift), "shift": shift,
                                                 "showroom": shift.showroom})


def _sale(request, number) -> PosSale:
    """A sale of the signed-in staff's showroom (another showroom's sale is not found)."""
    return get_object_or_404(PosSale.objects.select_related("order", "showroom", "cashier", "shift"),
                             order__number=number, showroom=request.pos_showroom)


@counter_view
def receipt(request, number):
    sale = _sale(request, number)
    lines = list(sale.order.lines.select_related("product"))
    products = with_badges(Product.objects.filter(pk__in=[line.product_id for line in lines]))
    stars = {p.pk: badges_for(p).star_glyphs for p in products}
    import segno

    link = tracking_url(sale.order, request)
    qr = segno.make(link, error="m").svg_inline(scale=2, border=1)
    return render(request, "pos/receipt.html", {
        "sale": sale, "order": sale.order, "showroom": sale.showroom, "qr": qr, "link": link,
        "lines": [(line, stars.get(line.product_id, "")) for line in lines],
        "payments": list(sale.payments.all()),
        "returns": list(sale.returns.prefetch_related("lines__line")),  # issue 19: what came back, each line
    })


@counter_view
def history(request):
    recent = (PosSale.objects.filter(showroom=request.pos_showroom).select_related("order", "cashier")
              .prefetch_related("payments")[:50])
    shifts_done = Shift.objects.filter(showroom=request.pos_showroom).select_related("cashier")[:20]
    return render(request, "pos/history.html", {"sales": recent, "shifts": shifts_done,
                                                "showroom": request.pos_showroom, "shift": request.pos_shift})


@counter_view
def sale_return(request, number):
    sale = _sale(request, number)
    done = returns.returned_quantities(sale)
    lines = [(line, line.quantity - done.get(line.pk, 0)) for line in sale.order.lines.all()]
    if request.method == "POST":
        quantities = {line.pk: _int(request.POST.get(f"q{line.pk}") or 0) for line, _left in lines}
        ret = returns.refund(sale=sale, shift=request.pos_shift, quantities=quantities,
                             reason=request.POST.get("reason", ""))
        messages.success(request, _("Refunded %(amount)s in cash; the goods are back on the shelf.")
                         % {"amount": currency(ret.amount)})
        return redirect("pos:receipt", number=number)
    return render(request, "pos/return.html", {"sale": sale, "lines": lines, "showroom": request.pos_showroom,
                                               "shift": request.pos_shift})


def _transfer_lines(text: str) -> list:
    """One "barcode quantity" per line of a delivery note (a scanner types the barcode)."""
    items = []
    for row in text.splitlines():
        parts = row.split()
        if not parts:
            continue
        if len(parts) != 2:
            raise PosError(_("Write each line as a barcode and a quantity: %(line)s") % {"line": row.strip()[:64]})
        items.append(stock.Item(carts.product_for_code(parts[0]), _int(parts[1])))
    if not items:
        raise PosError(_("A transfer needs at least one product and quantity."))
    return items


@counter_view
def shelf(request):
    """The shelf: what is on it, and (managers) transfers in and stocktakes."""
    staff, showroom = request.pos_staff, request.pos_showroom
    if request.method == "POST":
        if staff.role != staff.MANAGER:
            raise PermissionDenied
        if request.POST.get("action") == "transfer":
            items = _transfer_lines(request.POST.get("lines", ""))
            producer = items[0].product.producer
            if producer is None:
                raise PosError(_("«%(title)s» has no producer to transfer from.") % {"title": items[0].product.title})
            stock.transfer(producer=producer, showroom=showroom, user=request.user, items=items,
                           reference=request.POST.get("reference", "").strip(), note=request.POST.get("note", ""))
            messages.success(request, _("Transfer recorded; the producer is notified."))
        else:
            product = carts.product_for_code(request.POST.get("code", ""))
            stock.stocktake(showroom=showroom, product=product, counted=_int(request.POST.get("quantity")),
                            reason=request.POST.get("reason", ""), user=request.user)
            messages.success(request, _("Stock count corrected."))
        return redirect("pos:shelf")
    records = (stock.StockRecord.objects.filter(partner_id=showroom.partner_id).select_related("product")
               .order_by("product__title"))
    return render(request, "pos/shelf.html", {"records": records, "showroom": showroom, "staff": staff,
                                              "shift": request.pos_shift,
                                              "transfers": showroom.transfers_in.prefetch_related("lines__product")[:10],
                                              "stocktakes": showroom.stocktakes.select_related("product")[:10]})


# ---------------------------------------------------------------------------- JSON
def _cart_response(request, cart=None, status=200, **extra):
    cart = cart or carts.cart_for(request.user, request.pos_showroom)
    return JsonResponse({"cart": carts.as_json(cart), **extra}, status=status)


@require_GET
@counter_view
def api_cart(request):
    return _cart_response(request)


@require_POST
@counter_view
def api_scan(request):
    data = _body(request)
    cart = carts.cart_for(request.user, request.pos_showroom)
    if data.get("product"):
        product = get_object_or_404(Product, pk=_int(data["product"]))
    else:
        product = carts.product_for_input(request.pos_showroom, str(data.get("code", "")))
    carts.add(cart, product, _int(data.get("quantity", 1)))
    return _cart_response(request, cart)


@require_POST
@counter_view
def api_line(request, line_id):
    cart = carts.cart_for(request.user, request.pos_showroom)
    carts.set_quantity(cart, line_id, _int(_body(request).get("quantity")))
    return _cart_response(request, cart)


@require_POST
@counter_view
def api_discount(request):
    data = _body(request)
    cart = carts.cart_for(request.user, request.pos_showroom)
    carts.set_discount(cart, request.pos_staff, _amount(data.get("amount")), str(data.get("reason", "")))
    return _cart_response(request, cart)


@require_POST
@counter_view
def api_customer(request):
    cart = carts.cart_for(request.user, request.pos_showroom)
    carts.set_customer_phone(cart, str(_body(request).get("phone", "")))
    return _cart_response(request, cart)


@require_GET
@counter_view
def api_search(request):
    found = carts.search(request.pos_showroom, request.GET.get("q", ""))
    rank = {p.pk: i for i, p in enumerate(found)}  # the search's order: exact code, own title, producer
    products = sorted(with_badges(Product.objects.filter(pk__in=list(rank))), key=lambda p: rank[p.pk])
    strategy = carts.strategy_for(request.pos_showroom)
    out = []
    for product in products:
        info = strategy.fetch_for_product(product)
        out.append({"id": product.pk, "title": product.title, "upc": product.upc or "",
                    "price_display": currency(info.price.incl_tax) if info.price.exists else "",
                    "stars_display": badges_for(product).star_glyphs,
                    "on_shelf": max(info.stockrecord.net_stock_level, 0) if info.stockrecord else 0})
    return JsonResponse({"results": out})


@require_GET
@counter_view
def api_vietqr(request):
    """The VietQR of the amount the customer pays by transfer, noted with the order number to be."""
    amount = _amount(request.GET.get("amount"))
    cart = carts.cart_for(request.user, request.pos_showroom)
    if amount <= 0 or amount > carts.total(cart):
        raise PosError(_("The VietQR amount must be above 0 and at most the total."))
    number = carts.OrderNumberGenerator().order_number(cart.basket)
    note = vietqr.transfer_note(number)
    from django.conf import settings

    details = vietqr.TransferDetails(
        bank_bin=settings.VIETQR_BANK_BIN, bank_name=settings.VIETQR_BANK_NAME,
        account_number=settings.VIETQR_ACCOUNT_NUMBER, account_name=settings.VIETQR_ACCOUNT_NAME, amount=amount,
        note=note, payload=vietqr.build_payload(bank_bin=settings.VIETQR_BANK_BIN,
                                                account_number=settings.VIETQR_ACCOUNT_NUMBER, amount=amount,
                                                note=note))
    return JsonResponse({"svg": details.svg(), "amount_display": currency(amount), "note": note,
                         "bank": details.bank_name, "account": details.account_number,
                         "account_name": details.account_name, "payload": details.payload})


@require_GET
@counter_view
def api_vietqr_status(request):
    """Has the bank told the shop that the counter's VietQR transfer arrived? (banking/: SePay)"""
    amount = _amount(request.GET.get("amount"))
    cart = carts.cart_for(request.user, request.pos_showroom)
    number = carts.OrderNumberGenerator().order_number(cart.basket)
    received = bank_transfers.counter_transfer(number=str(number), amount=amount) is not None
    return JsonResponse({"automatic": bank_webhook.configured(), "received": received,
                         "message": _("Payment received") if received else _("Awaiting transfer")})


@require_POST
@counter_view
def api_complete(request):
    data = _body(request)
    cart = carts.cart_for(request.user, request.pos_showroom)
    vietqr_amount = _amount(data.get("vietqr_amount"))
    transfer = None
    confirmed = _flag(data.get("vietqr_confirmed"))  # strictly true/false: "no" is not a yes
    if vietqr_amount and bank_webhook.configured():
        # The bank says whether the money arrived, not the customer: the cashier's tick is not asked.
        transfer = bank_transfers.counter_transfer(
            number=str(carts.OrderNumberGenerator().order_number(cart.basket)), amount=vietqr_amount)
        confirmed = transfer is not None
    tender = sales.Tender(cash_tendered=_amount(data.get("cash_tendered")),
                          vietqr_amount=vietqr_amount,
                          vietqr_confirmed=confirmed,
                          card_amount=_amount(data.get("card_amount")),
                          card_reference=str(data.get("card_reference", "")))
    sale, created = sales.complete_sale(cart_id=cart.pk, basket_id=_int(data.get("basket")),
                                        version=_int(data.get("version")), shift=request.pos_shift, tender=tender)
    if transfer is not None and created:
        bank_transfers.claim_for_counter(transfer=transfer, order=sale.order)
    message = "" if created else _("This cart was already sold as order %(number)s: nothing was sold twice.") % {
        "number": sale.order.number}
    return _cart_response(request, sale={
        "number": str(sale.order.number), "total_display": currency(sale.order.total_incl_tax),
        "change": int(sale.change), "change_display": currency(sale.change),
        "tendered_display": currency(tender.cash_tendered) if created and tender.cash_tendered else "",
        "receipt_url": reverse("pos:receipt", kwargs={"number": sale.order.number}), "already": not created,
    }, message=message)
