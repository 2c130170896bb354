"""Oscar's account views that answered bad input with a 500, mended here and routed before Oscar's
own patterns (shop/urls.py): customer and communication are not forked (their models would have to
be), and these are their only changes. Found by the bad-input crawl (tests/shop/test_bad_input_crawl.py).
Besides: asking to return a delivered line (LineReturnView), and the order page reading its order
with the address and payment it shows (OrderDetailView, issue 21)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_class, get_model

from core.ids import SelectsOnlyRowIds
from core.prepared import Prepared
from shop.order import known_rows

Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
WishListCreateView = get_class("customer.wishlists.views", "WishListCreateView")
OscarNotificationUpdateView = get_class("communication.notifications.views", "UpdateView")
OscarOrderLineView = get_class("customer.views", "OrderLineView")
OscarOrderDetailView = get_class("customer.views", "OrderDetailView")


class WishListCreateWithProductView(WishListCreateView):
    """Oscar redirects to "wishlists-create" without the customer namespace when the product is gone:
    NoReverseMatch."""

    def dispatch(self, request, *args, **kwargs):
        if not Product.objects.filter(pk=kwargs["product_pk"]).exists():
            messages.error(request, _("The requested product no longer exists"))
            return redirect("customer:wishlists-create")
        return super().dispatch(request, *args, **kwargs)


class NotificationUpdateView(SelectsOnlyRowIds, OscarNotificationUpdateView):
    pass


class OrderDetailView(OscarOrderDetailView):
    """Oscar's page of one of the shopper's orders, the order read with what the page shows of it in
    the same query: its shipping address and the address's country (the "Shipping Address" table) and
    how it is paid ({% order_payment %}). Oscar read the order alone, then each of the three (issue 21)."""

    def get_object(self, queryset=None):
        """The query get_object_or_404 asks, compiled once per connection (core/prepared.py: its
        compilation was about a third of its CPU, issue 21)."""
        user = self.request.user
        if not user.is_authenticated:  # (Oscar's URL asks for a login first) as before
            return get_object_or_404(_shoppers_orders(), user=user, number=self.kwargs["order_number"])
        found = _SHOPPERS_ORDER.run("get", [user.pk, self.kwargs["order_number"]])
        if not found:
            raise Http404("No Order matches the given query.")
        if len(found) > 1:
            raise Order.MultipleObjectsReturned(f"get() returned more than one Order -- it returned {len(found)}!")
        order = found[0]
        if self.request.method == "GET":  # (the page is drawn on a GET only)
            known_rows.mark_empty(order, SHOWN)
        return order


def _shoppers_orders():
    return Order.objects.select_related("shipping_address__country", "payment_choice")


# The order's rows of other tables the page shows, most orders having none: the order's query says
# which have any (shop/order/known_rows.py), and the page asks no query of those it has none of (issue 21).
SHOWN = ("discounts", "surcharges", "line_returns")
LineAttribute, ProductReview = get_model("order", "LineAttribute"), get_model("reviews", "ProductReview")


def _line_rows_flags() -> dict:
    """Whether any line of the order has attributes (options: the line's description), and whether the
    order's shopper reviewed any of its lines' products ({% order_page_lines %} reads both)."""
    products = get_model("order", "Line").objects.filter(order=OuterRef(OuterRef("pk"))).values("product_id")
    return {"ocop_has_line_attributes": Exists(LineAttribute.objects.filter(line__order=OuterRef("pk")).order_by()),
            "ocop_has_reviews": Exists(ProductReview.objects.filter(user=OuterRef("user_id"), product__in=products)
                                       .order_by())}


def _shoppers_order_query(shape, user_pk, number):
    """What get_object_or_404(_shoppers_orders(), user=…, number=…) asks: ordering cleared, at most 21
    rows; with whether the order has rows of what the page shows (known_rows, _line_rows_flags)."""
    return (_shoppers_orders().annotate(**known_rows.annotations(SHOWN), **_line_rows_flags())
            .filter(user=user_pk, number=number).order_by()[:MAX_GET_RESULTS])


_SHOPPERS_ORDER = Prepared(_shoppers_order_query, name="shoppers_order_of_number")


class OrderLineView(OscarOrderLineView):
    """Oscar's order line has actions (POST: reorder) but no page: its GET named a template Oscar does
    not ship, and a line not of the order raised DoesNotExist. The order's page shows its lines."""

    def get_object(self, queryset=None):
        order = get_object_or_404(Order, user=self.request.user, number=self.kwargs["order_number"])
        return get_object_or_404(order.lines, id=self.kwargs["line_id"])

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("customer:order", self.kwargs["order_number"])




class LineReturnView(View):
    """The shopper asks to return units of a delivered line (shop.order.lifecycle.request_return says
    whether they may); the form is on the order's page, which this answers back to."""

    def post(self, request, order_number, line_id):
        from shop.order import lifecycle

        order = get_object_or_404(Order, user=request.user, number=order_number)
        line = get_object_or_404(order.lines, id=line_id)
        photo = request.FILES.get("photo")
        if photo is not None:
            field = forms.ImageField(required=False)
            try:
                photo = field.clean(photo)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("customer:order", order_number)
        try:
            lifecycle.request_return(line=line, quantity=request.POST.get("quantity", ""),
                                     reason=request.POST.get("reason", "")[:2000], user=request.user, photo=photo)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("We have your return request: we will answer you by e-mail."))
        return redirect(reverse("customer:order", args=[order_number]) + "#returns")

    def get(self, request, order_number, line_id):
        return redirect("customer:order", order_number)
