"""Oscar's order dashboard views; the order page also records a bank transfer, what happened at the
door (delivered with the COD cash, refused, received back) and answers returns (shop/order/lifecycle.py).

Only OCOP office staff record money. Producer users (partner dashboard access) are sent to their
own pages in the producer portal: Oscar's order pages show every line and the whole total of an
order, other producers' included. Both actions go through shop.order.services.record_payment,
idempotent per reference, so a double-submitted form records the money once.
"""
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.dashboard.orders.views import *  # noqa: F403  (every other view as Oscar has it)
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from core.csv_safe import SafeUnicodeCSVWriter
from core.ids import SelectsOnlyRowIds, row_id
from core.prepared import Prepared
from shop.order import event_types, known_rows, lifecycle, services, statuses
from shop.order.models import LineReturn
from shop.partner.scoping import is_producer_user, own_order_or_404, producer_of
from shop.payment import methods
from shop.payment.models import OrderPayment

Order, Line = get_model("order", "Order"), get_model("order", "Line")
Transaction = get_model("payment", "Transaction")
TransferReceivedForm = get_class("dashboard.orders.forms", "TransferReceivedForm")
CodCollectedForm = get_class("dashboard.orders.forms", "CodCollectedForm")
DoorForm = get_class("dashboard.orders.forms", "DoorForm")
ReturnDecisionForm = get_class("dashboard.orders.forms", "ReturnDecisionForm")

# Reached only through shop.order.lifecycle (money and stock move with them), never Oscar's status forms.
LIFECYCLE_STATUSES = (statuses.DELIVERED, statuses.REFUSED, statuses.RETURNED)
LIFECYCLE_LINE_STATUSES = (statuses.LINE_DELIVERED, statuses.LINE_REFUSED, statuses.LINE_RECEIVED_BACK)


def payment_method_of(order):
    try:
        return order.payment_choice.method
    except OrderPayment.DoesNotExist:
        return None


def can_record_transfer(user, order) -> bool:
    return user.is_staff and payment_method_of(order) == methods.VIETQR and order.status == statuses.AWAITING_TRANSFER


def can_record_cod(user, order) -> bool:
    return (user.is_staff and payment_method_of(order) == methods.COD
            and order.status in (statuses.PROCESSING, statuses.SHIPPED))


def items_of(orders) -> dict:
    """{order id: number of items} of `orders`: Order.num_items (the sum of the lines' quantities, 0
    for an order without lines) for all of them in one query. The SQL the ORM's
    `filter(order_id__in=ids).values_list("order_id").annotate(Sum("quantity"))` sends, written once:
    its compilation was 0.4 of its 0.5 ms of CPU a page (issue 21)."""
    ids = [order.id for order in orders]
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_ITEMS_SQL.format(ids=", ".join(["%s"] * len(ids))), ids)
        return dict.fromkeys(ids, 0) | dict(cursor.fetchall())


def _items_sql() -> str:
    q = connection.ops.quote_name
    table, column = q(Line._meta.db_table), (lambda name: q(Line._meta.get_field(name).column))
    order_id, quantity = column("order"), column("quantity")
    return (f"SELECT {table}.{order_id}, SUM({table}.{quantity}) FROM {table} WHERE {table}.{order_id} IN ({{ids}}) "
            f"GROUP BY {table}.{order_id}")


_ITEMS_SQL = _items_sql()


# The order's rows of other tables that the office's page shows. Most orders have none of most of
# them (no note, no event, no return, not paid yet): the order's query says which have any
# (an EXISTS each, shop/order/known_rows.py), and the page asks no query of those it knows empty (issue 21).
# Read with the order for every request (prefetched as before when there are some):
PREFETCHED = ("status_changes", "surcharges", "discounts", "sources")
# Read while the page is drawn (Oscar's blocks, our messages and returns), asked only when there are some:
DRAWN = ("shipping_events", "payment_events", "notes", "messages", "line_returns")


def _staff_order_query(shape, number):
    """What `queryset_orders_for_user(staff).select_related("payment_choice").get(number=number)`
    asks: Oscar's query of every order, its ordering cleared and at most 21 rows, as .get() asks;
    with whether the order has rows of each relation the page shows (known_rows.annotations)."""
    staff = type("Staff", (), {"is_staff": True})()
    return (oscar_views.queryset_orders_for_user(staff).select_related("payment_choice").prefetch_related(None)
            .annotate(**known_rows.annotations((*PREFETCHED, *DRAWN))).filter(number=number).order_by()[:MAX_GET_RESULTS])


_STAFF_ORDER = Prepared(_staff_order_query, name="office_order_of_number")


class ProducersUsePortal:
    """A producer user asking for one of Oscar's order pages gets the portal's page of the same
    order (404 when the order has none of their lines)."""

    def dispatch(self, request, *args, **kwargs):
        if not is_producer_user(request.user):
            return super().dispatch(request, *args, **kwargs)
        if "number" not in kwargs:
            return redirect(self.portal_url_name)
        partner = producer_of(request.user)
        order = own_order_or_404(partner, kwargs["number"])
        if "line_id" in kwargs and not order.lines.filter(pk=kwargs["line_id"], partner=partner).exists():
            raise Http404("not your line")
        return redirect("dashboard:producer-order", number=order.number)


class OrderListView(ProducersUsePortal, SelectsOnlyRowIds, oscar_views.OrderListView):
    portal_url_name = "dashboard:producer-orders"

    def get_queryset(self):
        """Oscar's list (its search and sort), the status changes not read: Oscar prefetched them and
        every line whole for every order of the page, and the list shows neither (issue 21). The
        CSV and the bulk actions get the lines for their quantities (the CSV's "Number of items");
        the page reads only their sums (get_context_data)."""
        orders = super().get_queryset().prefetch_related(None)
        if self.request.method == "GET" and not self.is_csv_download():
            return orders
        return orders.prefetch_related(Prefetch("lines", queryset=Line.objects.only("order_id", "quantity")))

    def get_context_data(self, **kwargs):
        """With the page's orders, their number of items (Oscar's Order.num_items, the sum of the lines'
        quantities) summed by the database in one query: the page's lines made into objects only to
        be counted were a sixth of its time (issue 21)."""
        ctx = super().get_context_data(**kwargs)
        if not self.is_csv_download():
            ctx["order_items"] = items_of(ctx["orders"])
        return ctx

    def download_selected_orders(self, request, orders):
        """Oscar's order download, with no cell that a spreadsheet would run (core/csv_safe.py: a
        guest named "=HYPERLINK(…)" was a live formula in the office's export, issue 20)."""
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f"attachment; filename={self.get_download_filename(request)}"
        writer = SafeUnicodeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            row_values = self.get_row_values(order)
            writer.writerow([row_values.get(column, "") for column in self.CSV_COLUMNS])
        return response

    def change_order_status(self, request, order):
        if request.POST.get("new_status", "").strip() in LIFECYCLE_STATUSES:
            messages.error(request, _("Order %(number)s: record deliveries and refusals on its page.")
                           % {"number": order.number})
            return
        super().change_order_status(request, order)


class OrderStatsView(ProducersUsePortal, oscar_views.OrderStatsView):
    portal_url_name = "dashboard:producer-home"


class LineDetailView(ProducersUsePortal, oscar_views.LineDetailView):
    pass


class ShippingAddressUpdateView(ProducersUsePortal, oscar_views.ShippingAddressUpdateView):
    pass


class OrderDetailView(ProducersUsePortal, oscar_views.OrderDetailView):
    order_actions = (*oscar_views.OrderDetailView.order_actions, "record_transfer", "record_cod_collected",
                     "deliver_lines", "refuse_lines", "receive_back_lines", "accept_return", "refuse_return",
                     "receive_return")

    def get_object(self, queryset=None):
        """Oscar's order (queryset_orders_for_user: the same orders for the same user), its lines
        fetched once with the product and supplier the line table links (Oscar fetched them plain,
        then again for the table), and its surcharges once (the totals read them three times). With
        the order, in its query: how it is paid (the payment card and actions read it apart). Its
        discounts are read once for the totals ({% order_discounts %}) and the discounts tab: Oscar's
        blocks asked three queries of the same rows (issue 21). Its payment sources too: the payment
        tab lists them, and they say whether there can be any transaction (get_payment_transactions)."""
        lines = Prefetch("lines", queryset=Line.objects.select_related("product", "partner").order_by("pk"))
        if not self.request.user.is_staff:  # the orders of their producers only: Oscar's query as it is
            orders = (oscar_views.queryset_orders_for_user(self.request.user).select_related("payment_choice")
                      .prefetch_related(None).prefetch_related(lines, *PREFETCHED))
            try:
                return orders.get(number=self.kwargs["number"])
            except Order.DoesNotExist:
                raise Http404() from None
        # Staff see every order: the same query (queryset_orders_for_user's, .get()'s), compiled once
        # per connection (core/prepared.py: its compilation was ~1.2 ms of the page's CPU, issue 21);
        # what it prefetches read after it, as Django's prefetch does.
        found = _STAFF_ORDER.run("get", [self.kwargs["number"]])
        if not found:
            raise Http404()
        if len(found) > 1:
            raise Order.MultipleObjectsReturned(f"get() returned more than one Order -- it returned {len(found)}!")
        order = found[0]
        # A relation the order's query found empty is not asked again (a query each, ~0.5 ms, issue 21).
        # Those drawn on the page (events, notes, messages) are left to their query on a POST: its
        # actions write them, and a form that fails (a note) draws the page again.
        empty = known_rows.mark_empty(order, PREFETCHED)
        prefetch_related_objects(found, lines, *(name for name in PREFETCHED if name not in empty))
        if self.request.method == "GET":
            known_rows.mark_empty(order, DRAWN)
        return order

    def get_payment_transactions(self):
        """Oscar's query of the order's transactions, not asked when the order has no payment source (a
        transaction belongs to one): an order not yet paid (most of those the office opens) shows the
        same empty table without it (issue 21)."""
        if not self.object.sources.all():  # prefetched with the order
            return Transaction.objects.none()
        return super().get_payment_transactions()

    def get_order_lines(self):
        # Oscar's line table links each line's product and supplier: fetched with the order's lines
        # (get_object), not once per line (25 queries at 1 line, 43 at 10, issue 21). Still a
        # queryset: the line actions filter it.
        return self.object.lines.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Oscar's two lists of every event type, kept per process (shop/order/event_types.py): two
        # queries a page for rows that rarely change (issue 21). Oscar's querysets were not yet read.
        ctx["shipping_event_types"], ctx["payment_event_types"] = event_types.event_types()
        order, user = self.object, self.request.user
        if can_record_transfer(user, order):
            ctx["transfer_form"] = TransferReceivedForm(
                initial={"amount": int(order.total_incl_tax - services.amount_paid(order))})
        if can_record_cod(user, order):
            ctx["cod_form"] = CodCollectedForm(initial={"amount": int(lifecycle.cod_amount(order=order))})
        lines = list(ctx["lines"])  # the table's own rows (its queryset keeps them): one query for both
        ctx["at_door"] = [line for line in lines if line.status == statuses.LINE_SHIPPED]
        ctx["refused_lines"] = [line for line in lines if line.status == statuses.LINE_REFUSED]
        ctx["door_form"] = DoorForm()
        ctx["line_returns"] = ([] if known_rows.is_known_empty(order, "line_returns")
                               else list(order.line_returns.select_related("line").order_by("pk")))
        for line_return in ctx["line_returns"]:
            line_return.suggested_refund = int(lifecycle.refund_value(line_return))
        return ctx

    # ------------------------------------------------------------ Oscar's status forms, fenced
    def change_order_status(self, request, order):
        if request.POST.get("new_status", "").strip() in LIFECYCLE_STATUSES:
            return self.reload_page(error=_("Record deliveries and refusals with the buttons of “At the door”: "
                                            "they record the cash and the stock too."))
        return super().change_order_status(request, order)

    def change_line_statuses(self, request, order, lines, quantities):
        if request.POST.get("new_status", "").strip() in LIFECYCLE_LINE_STATUSES:
            return self.reload_page(error=_("Record deliveries and refusals with the buttons of “At the door”: "
                                            "they record the cash and the stock too."))
        return super().change_line_statuses(request, order, lines, quantities)

    # ------------------------------------------------------------ at the door (shop.order.lifecycle)
    def _door(self, request, order, move, done_text):
        if not request.user.is_staff:
            return self.reload_page(error=_("Only office staff record this."))
        form = DoorForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please check the amount and the reason."))
        try:
            moved = move(form.cleaned_data, request.POST.getlist("door_line"))  # none ticked: "choose a line"
        except ValidationError as error:
            return self.reload_page(error=" ".join(error.messages))
        if moved:
            messages.success(request, done_text % {"count": moved})
        else:
            messages.info(request, _("Nothing to change: those lines are already done."))
        return self.reload_page()

    def deliver_lines(self, request, order):
        return self._door(request, order, lambda data, ids: lifecycle.deliver(
            order=order, actor=request.user, line_ids=ids, cod_amount=data["cod_amount"],
            cod_reference=data["cod_reference"], channel="office"), _("%(count)d lines marked delivered."))

    def refuse_lines(self, request, order):
        return self._door(request, order, lambda data, ids: lifecycle.refuse(
            order=order, actor=request.user, line_ids=ids, reason=data["reason"], channel="office"),
            _("%(count)d lines marked refused: mark them received when they are back."))

    def receive_back_lines(self, request, order):
        damaged = {key.removeprefix("damaged-"): value for key, value in request.POST.items()
                   if key.startswith("damaged-")}
        return self._door(request, order, lambda data, ids: lifecycle.receive_back(
            order=order, actor=request.user, line_ids=ids, damaged=damaged, reason=data["reason"]),
            _("%(count)d lines received back."))

    # ------------------------------------------------------------ returns
    def _line_return(self, request, order):
        return LineReturn.objects.filter(pk=row_id(request.POST.get("return", "")), order=order).first()

    def _answer(self, request, order, answer):
        line_return = self._line_return(request, order)
        if line_return is None or not request.user.is_staff:
            return self.reload_page(error=_("This return is not part of this order."))
        form = ReturnDecisionForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please check the refund amount."))
        before = line_return.status
        try:
            after = answer(line_return, form.cleaned_data)
        except ValidationError as error:
            return self.reload_page(error=" ".join(error.messages))
        if after.status == before:
            messages.info(request, _("This return was already answered: nothing changed."))
        else:
            messages.success(request, _("Return %(status)s.") % {"status": after.get_status_display()})
        return self.reload_page(fragment="returns")

    def accept_return(self, request, order):
        return self._answer(request, order, lambda line_return, data: lifecycle.accept_return(
            line_return=line_return, actor=request.user, refund_amount=data["refund_amount"],
            refund_reference=data["refund_reference"], note=data["note"]))

    def refuse_return(self, request, order):
        return self._answer(request, order, lambda line_return, data: lifecycle.refuse_return(
            line_return=line_return, actor=request.user, reason=data["note"]))

    def receive_return(self, request, order):
        form_damaged, reason = request.POST.get("damaged", "0"), request.POST.get("reason", "")
        return self._answer(request, order, lambda line_return, data: lifecycle.receive_return(
            line_return=line_return, actor=request.user, damaged=form_damaged, reason=reason))

    def record_transfer(self, request, order):
        if not (request.user.is_staff and payment_method_of(order) == methods.VIETQR):
            return self.reload_page(error=_("This order is not paid by bank transfer, or you may not record "
                                            "payments."))
        form = TransferReceivedForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please give the amount received and the bank reference."))
        amount, reference = Decimal(form.cleaned_data["amount"]), form.cleaned_data["reference"]
        if order.status != statuses.AWAITING_TRANSFER:
            if order.payment_events.filter(reference=reference).exists():  # the form sent twice
                messages.warning(request, _("Transfer %(reference)s was already recorded for this order: nothing "
                                            "changed.") % {"reference": reference})
                return self.reload_page()
            return self.reload_page(error=_("This order is not awaiting a transfer any more."))
        recorded = services.record_payment(order=order, amount=amount, reference=reference, source_type="VietQR",
                                           note=f"Transfer received by {request.user.email}: {reference}")
        if not recorded:
            messages.warning(request, _("Transfer %(reference)s was already recorded for this order: nothing "
                                        "changed.") % {"reference": reference})
            return self.reload_page()
        order.refresh_from_db()
        if order.status == statuses.PROCESSING:
            messages.success(request, _("Transfer of %(amount)s recorded: the order is paid and now processing.")
                             % {"amount": currency(amount, order.currency)})
        else:
            owed = order.total_incl_tax - services.amount_paid(order)
            messages.warning(request, _("Transfer of %(amount)s recorded, but %(owed)s is still owed: the order "
                                        "keeps waiting for the rest.") % {"amount": currency(amount, order.currency),
                                                                          "owed": currency(owed, order.currency)})
        return self.reload_page()

    def record_cod_collected(self, request, order):
        if not can_record_cod(request.user, order):
            return self.reload_page(error=_("This is not a cash-on-delivery order on its way, or you may not "
                                            "record payments."))
        form = CodCollectedForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Please give the amount of cash collected."))
        amount = Decimal(form.cleaned_data["amount"])
        try:
            # Every line still on its way is delivered; the reference makes a resubmitted form a no-op.
            moved = lifecycle.deliver(order=order, actor=request.user, cod_amount=amount,
                                      cod_reference=form.cleaned_data["reference"] or f"COD-{order.number}",
                                      channel="office")
        except ValidationError as error:
            return self.reload_page(error=" ".join(error.messages))
        if not moved:
            messages.info(request, _("Nothing to change: those lines are already done."))
            return self.reload_page()
        messages.success(request, _("Cash of %(amount)s recorded and the order marked delivered.")
                         % {"amount": currency(amount, order.currency)})
        return self.reload_page()


class ReturnListView(generic.ListView):
    """Returns waiting for the office's answer first, then the latest; each links to its order."""

    template_name = "oscar/dashboard/orders/returns.html"
    context_object_name = "line_returns"
    paginate_by = 50

    def get_queryset(self):
        from django.db.models import Case, IntegerField, Value, When

        waiting = Case(When(status=LineReturn.REQUESTED, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
        return (LineReturn.objects.select_related("order", "line").annotate(waiting=waiting)
                .order_by("waiting", "-created_at", "-pk"))
