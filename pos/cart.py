"""The cart on the counter: an Oscar basket priced by the showroom's shelf strategy.

Every change bumps PosCart.version (sale.complete_sale checks it) and is refused with a message
the cashier can act on: unknown barcode, not on this shelf, not that many left.
"""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from catalog_ext.badges import attach_badges, badges_for
from core.text import fold

from .errors import PosError
from .models import PosCart

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")

MAX_QUANTITY = 999


def strategy_for(showroom):
    return Selector().strategy(showroom=showroom)


def cart_for(user, showroom) -> PosCart:
    """The cashier's cart at this counter, with a fresh basket once the last one was sold."""
    cart = PosCart.objects.select_related("basket").filter(cashier=user, showroom=showroom).first()
    if cart is None:
        cart, _created = PosCart.objects.get_or_create(cashier=user, showroom=showroom,
                                                       defaults={"basket": Basket.objects.create()})
    if cart.basket.status != Basket.OPEN:
        start_new_basket(cart)
    cart.basket.strategy = strategy_for(showroom)
    return cart


def start_new_basket(cart: PosCart) -> None:
    cart.basket = Basket.objects.create()
    cart.discount, cart.discount_reason, cart.customer_phone = Decimal(0), "", ""
    cart.version = F("version") + 1
    cart.save()
    cart.refresh_from_db()


def _touch(cart: PosCart) -> None:
    PosCart.objects.filter(pk=cart.pk).update(version=F("version") + 1)
    cart.version += 1


def _check_available(cart: PosCart, product, wanted: int) -> None:
    info = cart.basket.strategy.fetch_for_product(product)
    if info.stockrecord is None:
        raise PosError(_("«%(title)s» is not on this showroom's shelf.") % {"title": product.get_title()})
    allowed, reason = info.availability.is_purchase_permitted(wanted)
    if not allowed:
        left = max(info.stockrecord.net_stock_level, 0)
        raise PosError(_("Only %(left)d of «%(title)s» left on the shelf.") % {"left": left,
                                                                              "title": product.get_title()})


def product_for_code(code: str):
    code = (code or "").strip()
    if not code:
        raise PosError(_("Scan or type a barcode."))
    product = Product.objects.filter(upc=code).first()
    if product is None:
        raise PosError(_("No product has the barcode %(code)s.") % {"code": code[:64]}, status=404)
    return product


def product_for_input(showroom, text: str):
    """What the scanner or the keyboard sent: a barcode, else a name (accents optional) that
    matches exactly one product on this shelf; Enter on "mat ong bac ha" then adds that jar."""
    try:
        return product_for_code(text)
    except PosError:
        on_shelf = StockRecord.objects.filter(partner_id=showroom.partner_id, partner_sku=text.strip()[:128],
                                              ).select_related("product").first() if text.strip() else None
        if on_shelf is not None:  # the shelf's own SKU, typed or scanned from a shelf label
            return on_shelf.product
        if not text.strip() or text.strip().isdigit():
            raise
        found = search(showroom, text, limit=8)
        named = [p for p in found if title_matches(p, text)] or found  # its own name before its producer's
        if len(named) == 1:
            return named[0]
        if found:
            raise PosError(_("Several products on this shelf match «%(text)s»: pick one from the list.")
                           % {"text": text.strip()[:64]}) from None
        raise PosError(_("No product on this shelf has the barcode or name «%(text)s».")
                       % {"text": text.strip()[:64]}, status=404) from None


@transaction.atomic
def add(cart: PosCart, product, quantity: int = 1) -> None:
    if quantity < 1 or quantity > MAX_QUANTITY:
        raise PosError(_("Quantities are whole numbers from 1 to %(max)d.") % {"max": MAX_QUANTITY})
    in_cart = cart.basket.lines.filter(product=product).aggregate(n=Sum("quantity"))["n"] or 0
    _check_available(cart, product, in_cart + quantity)
    cart.basket.add_product(product, quantity)
    _touch(cart)


@transaction.atomic
def set_quantity(cart: PosCart, line_id: int, quantity: int) -> None:
    line = cart.basket.lines.select_related("product").filter(pk=line_id).first()
    if line is None:
        raise PosError(_("That line is no longer in the cart."), status=404)
    if quantity <= 0:
        line.delete()
    else:
        if quantity > MAX_QUANTITY:
            raise PosError(_("Quantities are whole numbers from 1 to %(max)d.") % {"max": MAX_QUANTITY})
        _check_available(cart, line.product, quantity)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    cart.basket.reset_offer_applications()
    cart.basket._lines = None
    _touch(cart)


@transaction.atomic
def set_discount(cart: PosCart, staff, amount: Decimal, reason: str) -> None:
    if not staff.may_discount:
        raise PosError(_("You may not give discounts at this counter."), status=403)
    if amount is None or amount < 0 or amount != amount.to_integral_value():
        raise PosError(_("A discount is a whole number of đồng, 0 or more."))
    if amount > cart.basket.total_incl_tax:
        raise PosError(_("A discount cannot be more than the cart (%(total)s).")
                       % {"total": currency(cart.basket.total_incl_tax)})
    if amount and not (reason or "").strip():
        raise PosError(_("Say why the discount is given."))
    cart.discount, cart.discount_reason = amount, (reason or "").strip()[:200]
    cart.save(update_fields=["discount", "discount_reason"])
    _touch(cart)


@transaction.atomic
def set_customer_phone(cart: PosCart, phone: str) -> None:
    digits = "".join(c for c in (phone or "") if c.isdigit() or c == "+")
    if digits and not (9 <= len(digits.lstrip("+")) <= 12):
        raise PosError(_("Enter a phone number of 9 to 12 digits, or leave it empty."))
    cart.customer_phone = digits
    cart.save(update_fields=["customer_phone"])
    _touch(cart)


def total(cart: PosCart) -> Decimal:
    """What the customer pays: the lines at shelf prices, less the cart's discount."""
    return max(cart.basket.total_incl_tax - cart.discount, Decimal(0))


def search(showroom, query: str, limit: int = 8):
    """Products on this shelf whose folded title/producer contains every folded word of `query`.

    Ranked (issue 19): a barcode or shelf SKU typed exactly first, then products whose own title
    holds every word, then those matched only through their producer (or commune, GI), each by
    title. search_text begins with the folded title, so its first len(title) characters are the
    folded title itself."""
    text = (query or "").strip()
    words = fold(text).split()
    if not words:
        return []
    on_shelf_sku = StockRecord.objects.filter(product=OuterRef("pk"), partner_id=showroom.partner_id,
                                              partner_sku=text[:128])
    exact = Q(upc=text[:64]) | Q(Exists(on_shelf_sku))
    named = Q()
    for word in words[:5]:
        named &= Q(search_text__contains=word)
    qs = (Product.objects.filter(stockrecords__partner_id=showroom.partner_id).filter(named | exact)
          .select_related("producer"))
    in_title = Q()
    for word in words[:5]:
        in_title &= Q(folded_title__contains=word)
    qs = qs.annotate(folded_title=Substr("search_text", 1, Length("title"))).annotate(
        exact_code=Case(When(exact, then=Value(1)), default=Value(0), output_field=IntegerField()),
        title_hit=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()))
    return list(qs.order_by("-exact_code", "-title_hit", "title", "pk")[:limit])


def title_matches(product, query: str) -> bool:
    """Does the product's own title hold every folded word of `query`?"""
    title = fold(product.title)
    return all(word in title for word in fold(query).split()[:5])


def as_json(cart: PosCart) -> dict:
    """What the counter screen draws: lines, OCOP badges, totals, the order number it will get."""
    lines = list(cart.basket.all_lines())
    attach_badges([line.product for line in lines])
    out = []
    for line in lines:
        badges = badges_for(line.product)
        out.append({
            "id": line.pk, "title": line.product.get_title(), "upc": line.product.upc or "",
            "quantity": line.quantity, "unit_price": int(line.unit_price_incl_tax or 0),
            "unit_price_display": currency(line.unit_price_incl_tax), "total": int(line.line_price_incl_tax or 0),
            "total_display": currency(line.line_price_incl_tax), "stars": badges.stars or 0,
            "stars_display": badges.star_glyphs,
        })
    due = total(cart)
    return {
        "basket": cart.basket_id, "version": cart.version, "lines": out,
        "subtotal": int(cart.basket.total_incl_tax), "subtotal_display": currency(cart.basket.total_incl_tax),
        "discount": int(cart.discount), "discount_display": currency(cart.discount),
        "discount_reason": cart.discount_reason, "total": int(due), "total_display": currency(due),
        "customer_phone": cart.customer_phone, "order_number": OrderNumberGenerator().order_number(cart.basket),
    }
