"""The producer portal's pages. Thin: scoping decides what is visible, fulfilment / stock_csv act."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core.ids import row_id
from notifications import services as notices
from notifications.forms import ContactPreferenceForm, preference_of
from notifications.models import Notification
from settlement.models import BankAccount
from shop.order import lifecycle, statuses
from shop.order.models import LineReturn
from shop.partner import stock
from shop.partner.ledger_view import ledger_rows
from shop.partner.scoping import (
    Line,
    own_lines,
    own_order_or_404,
    own_orders,
    own_products,
    own_stockrecords,
)

from . import fulfilment, home, stock_csv, stock_order, stock_page_records, summary
from .forms import (
    DoorForm,
    ProductPhotoFormSet,
    ProductTextForm,
    ShipForm,
    StockImportForm,
    StockQuickForm,
    StockQuickFormSet,
)
from .models import StockImport

PAGE_SIZE = 50
ProductImage = get_model("catalogue", "ProductImage")


class ProducerMixin:
    """Every page acts for the signed-in user's producer (404 for users who belong to none)."""

    def dispatch(self, request, *args, **kwargs):
        self.partner = home.producer_of(request.user)  # with its unread notices counted
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["partner"] = self.partner
        # counted with the producer's row; a page drawn after a post (a refused form) counts again:
        # the post may have changed them
        safe = self.request.method in ("GET", "HEAD")
        ctx["unread_count"] = (self.partner.unread_count if safe
                               else summary.unread_notices(self.partner).count())
        return ctx


class HomeView(generic.TemplateView):
    """What a producer opens on their phone: orders to prepare, low stock, expiring certificates,
    this month's sales, unread notices."""

    template_name = "producer_portal/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(home.home_context(self.request.user))  # partner None: office staff without a producer
        return ctx


class NoticeListView(ProducerMixin, generic.ListView):
    template_name = "producer_portal/notices.html"
    context_object_name = "notices"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Notification.objects.for_partner(self.partner).select_related("order")

    def post(self, request, *args, **kwargs):
        ids = request.POST.getlist("id") or None
        notices.mark_read(partner=self.partner, ids=ids)
        return redirect("dashboard:producer-notices")


class OrderListView(ProducerMixin, generic.ListView):
    """The producer's orders, with their own subtotal (never the order's total: other producers'
    lines are not theirs to see)."""

    template_name = "producer_portal/order_list.html"
    context_object_name = "orders"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        mine = own_lines(self.partner).order_by("pk")
        return (own_orders(self.partner).order_by("-date_placed")
                .prefetch_related(Prefetch("lines", queryset=mine, to_attr="my_lines")))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for order in ctx["orders"]:
            order.my_subtotal = sum(line.line_price_incl_tax for line in order.my_lines)
        return ctx


class OrderDetailView(ProducerMixin, generic.TemplateView):
    """One order as the producer sees it: their lines, their subtotal, where it goes; pack and ship."""

    template_name = "producer_portal/order_detail.html"

    def get_order(self):
        return own_order_or_404(self.partner, self.kwargs["number"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.get_order()
        lines = list(own_lines(self.partner).filter(order=order).order_by("pk"))
        ctx.update(order=order, lines=lines, subtotal=sum(line.line_price_incl_tax for line in lines),
                   can_fulfil=fulfilment.can_fulfil(order),
                   shipments=order.producer_shipments.filter(partner=self.partner),
                   ship_form=kwargs.get("ship_form") or ShipForm(),
                   all_shipped=all(line.status in statuses.LINE_HANDED_OVER for line in lines),
                   to_pack=any(line.status == statuses.LINE_NEW for line in lines))
        for line in lines:
            line.state = fulfilment.line_label(line)
        at_door = [line for line in lines if line.status == statuses.LINE_SHIPPED]
        refused = [line for line in lines if line.status == statuses.LINE_REFUSED]
        ctx.update(at_door=at_door, refused=refused, door_form=DoorForm(),
                   cod_owed=lifecycle.cod_amount(order=order, lines=at_door) if at_door else None,
                   returns=LineReturn.objects.filter(line__in=lines).select_related("line").order_by("pk"))
        return ctx

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        line_ids = request.POST.getlist("line") or None
        try:
            if request.POST.get("action") == "pack":
                moved = fulfilment.mark_packed(order=order, partner=self.partner, line_ids=line_ids)
                text = _("%(count)d lines marked packed.") % {"count": moved}
            elif request.POST.get("action") == "ship":
                form = ShipForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(ship_form=form))
                moved = fulfilment.mark_shipped(order=order, partner=self.partner, line_ids=line_ids,
                                                actor=request.user, **form.cleaned_data)
                text = _("%(count)d lines shipped.") % {"count": moved}
            elif request.POST.get("action") in DOOR_ACTIONS:
                moved, text = self.at_the_door(request, order, request.POST["action"])
            else:
                raise Http404("unknown action")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("dashboard:producer-order", number=order.number)
        except stock.StockError as error:
            messages.error(request, str(error))
            return redirect("dashboard:producer-order", number=order.number)
        if moved:
            messages.success(request, text)
        else:
            messages.info(request, _("Nothing to change: those lines are already done."))
        return redirect("dashboard:producer-order", number=order.number)


    def at_the_door(self, request, order, action):
        """Delivered, refused, received back: shop.order.lifecycle moves only this producer's lines."""
        form = DoorForm(request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        data, user = form.cleaned_data, request.user
        line_ids = request.POST.getlist("door_line")
        if action == "deliver":
            moved = lifecycle.deliver(order=order, actor=user, partner=self.partner, line_ids=line_ids,
                                      cod_amount=data["cod_amount"], cod_reference=data["cod_reference"],
                                      channel="portal")
            return moved, _("%(count)d lines marked delivered.") % {"count": moved}
        if action == "refuse":
            moved = lifecycle.refuse(order=order, actor=user, partner=self.partner, line_ids=line_ids,
                                     reason=data["reason"], channel="portal")
            return moved, _("%(count)d lines marked refused: mark them received when they are back.") % {
                "count": moved}
        if action == "receive_back":
            damaged = {key.removeprefix("damaged-"): value for key, value in request.POST.items()
                       if key.startswith("damaged-")}
            moved = lifecycle.receive_back(order=order, actor=user, partner=self.partner, line_ids=line_ids,
                                           damaged=damaged, reason=data["reason"])
            return moved, _("%(count)d lines received back.") % {"count": moved}
        line_return = LineReturn.objects.filter(pk=row_id(request.POST.get("return", "")), order=order,
                                                line__partner=self.partner).first()
        if line_return is None:
            raise ValidationError(_("This return is not one of your lines."))
        done = line_return.status == LineReturn.RECEIVED
        lifecycle.receive_return(line_return=line_return, actor=user, damaged=request.POST.get("damaged", "0"),
                                 reason=data["reason"])
        return (0 if done else 1), _("Returned goods received back.")


DOOR_ACTIONS = ("deliver", "refuse", "receive_back", "receive_return")


class StockListView(ProducerMixin, generic.TemplateView):
    """Every stock record of the producer in one list: stock, price and threshold edited in place."""

    template_name = "producer_portal/stock_list.html"

    def get_page(self):
        """The page's record ids: a producer may sell thousands of products, and sorting their whole
        rows (with the product's) by title took 80–110 ms at 5,000; the ids sort in a few, and are
        kept between visits (stock_order.py)."""
        page = Paginator(stock_order.record_ids(self.partner), PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)  # read once: the lock, the formset and the page use it
        return page

    def get_formset(self, ids, data=None):
        # compiled once (frozen.py); a save's rows (locked) with their open low-stock alerts
        queryset = stock_page_records.page_records(self.partner, ids, alerts=data is not None)
        for record in queryset:  # (read here, once) their producer is the page's: not read again for each
            record.partner = self.partner  # saved row (its audit entry names it, issue 21)
        # label_suffix: BaseForm's own default (gettext(":")), looked up once for the page's 50 forms
        return StockQuickFormSet(data=data, queryset=queryset, form_kwargs={
            "actor": self.request.user, "locked": data is not None, "label_suffix": _(":")})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = kwargs.get("page") or self.get_page()
        ctx["page_obj"] = page
        ctx["formset"] = kwargs.get("formset") or self.get_formset(page.object_list)
        return ctx

    def locked_posted_rows(self):
        """The rows a save names, locked: the ids the page posted, the producer's own only (any
        other is then refused by the formset, as a row outside the list). Not found again by the
        page's place in the title order: a saved price moves the catalogue version that order is
        kept with, so every save sorted all the producer's records (45 ms of database time at
        5,000, issue 21). Locked in pk order (as checkout does, so the two cannot deadlock) before
        the formset reads them: the "below what orders hold" check then sees current allocations."""
        prefix = StockQuickFormSet.get_default_prefix()
        named = [self.request.POST.get(f"{prefix}-{row}-id", "") for row in range(PAGE_SIZE)]
        return stock_page_records.locked_ids(self.partner, [pk for pk in named if pk.isdigit()])  # compiled once

    def post(self, request, *args, **kwargs):
        ids = self.locked_posted_rows()
        formset = self.get_formset(ids, data=request.POST)
        if not formset.is_valid():
            messages.error(request, _("Some rows need fixing: nothing was saved."))
            return self.render_to_response(self.get_context_data(formset=formset))
        try:
            with transaction.atomic():
                changed = formset.save()  # only the rows that changed; counts through the stock ledger
        except stock.StockError as error:  # not after the lock above; kept for a record outside the page
            messages.error(request, _("Nothing was saved: %(error)s") % {"error": error})
            return self.render_to_response(self.get_context_data(formset=formset))
        messages.success(request, _("%(count)d products updated.") % {"count": len(changed)})
        url = reverse("dashboard:producer-stock")
        number = request.GET.get("page", "")
        return redirect(f"{url}?page={int(number)}" if number.isdigit() and int(number) > 1 else url)


class StockRecordUpdateView(ProducerMixin, generic.UpdateView):
    """One stock record, with its low-stock threshold (404 for another producer's record)."""

    template_name = "producer_portal/stock_form.html"
    form_class = StockQuickForm
    context_object_name = "record"

    def get_queryset(self):
        return own_stockrecords(self.partner).select_related("product")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        partner = self.partner

        def order_url(line):  # their own order page; a line of someone else's record is never linked
            if line.partner_id == partner.pk:
                return reverse("dashboard:producer-order", kwargs={"number": line.order.number})
            return None

        ctx["history"] = ledger_rows(stock.history(self.object), order_url=order_url)
        return ctx

    def form_valid(self, form):
        try:
            with transaction.atomic():
                form.save()
        except stock.StockError as error:  # orders took units between the page and the save
            form.add_error("num_in_stock", str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("%(title)s updated.") % {"title": self.object.product.get_title()})
        return redirect("dashboard:producer-stock")


class StockExportView(ProducerMixin, generic.View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="stock-{self.partner.code}-{stamp}.csv"'
        writer = stock_csv.utf8_writer(response)
        for row in stock_csv.export_rows(self.partner):
            writer.writerow(row)
        return response


class StockImportView(ProducerMixin, generic.FormView):
    template_name = "producer_portal/stock_import.html"
    form_class = StockImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(max_rows=stock_csv.MAX_ROWS, columns=stock_csv.REQUIRED, optional=stock_csv.OPTIONAL)
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        checked = stock_csv.check(upload.file, self.partner)
        if checked.errors or not checked.changes:
            errors = checked.errors or [_("The file has no rows to import.")]
            return self.render_to_response(self.get_context_data(form=form, errors=errors, rows=checked.rows))
        pending = StockImport.objects.create(partner=self.partner, user=self.request.user, filename=upload.name,
                                             changes=checked.changes)
        return redirect("dashboard:producer-stock-import-preview", token=pending.token)


class StockImportPreviewView(ProducerMixin, generic.TemplateView):
    template_name = "producer_portal/stock_import_preview.html"

    def get_import(self):
        return get_object_or_404(StockImport, token=self.kwargs["token"], partner=self.partner)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stock_import"] = self.get_import()
        return ctx

    def post(self, request, *args, **kwargs):
        pending = self.get_import()
        if pending.applied_at:
            messages.info(request, _("This file was already imported: nothing changed."))
            return redirect("dashboard:producer-stock")
        try:
            count = stock_csv.apply(pending.changes, self.partner, actor=request.user, source=pending)
        except ValueError as error:
            messages.error(request, _("Nothing was imported: %(error)s") % {"error": error})
            return redirect("dashboard:producer-stock-import")
        StockImport.objects.filter(pk=pending.pk).update(applied_at=timezone.now())
        messages.success(request, _("%(count)d products updated from %(file)s.")
                         % {"count": count, "file": pending.filename})
        return redirect("dashboard:producer-stock")


__all__ = ["HomeView", "NoticeListView", "OrderListView", "OrderDetailView", "StockListView", "StockRecordUpdateView",
           "StockExportView", "StockImportView", "StockImportPreviewView", "ProductListView", "ProductEditView",
           "ProfileView", "Line"]


class ContactPreferenceView(ProducerMixin, generic.FormView):
    """How the producer hears of new orders and certificate reminders: e-mail, Zalo, SMS."""

    template_name = "producer_portal/contact_preference.html"

    def get_form(self, form_class=None):
        return ContactPreferenceForm(data=self.request.POST if self.request.method == "POST" else None,
                                     instance=preference_of(partner=self.partner), fallback_phone=self.partner.phone,
                                     for_producer=True)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your message settings are saved."))
        return redirect("dashboard:producer-messages")


class ProductListView(ProducerMixin, generic.ListView):
    """The producer's products, each with its first photo: the way to their description and photos."""

    template_name = "producer_portal/product_list.html"
    context_object_name = "products"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        photos = Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk"), to_attr="photos")
        return own_products(self.partner).order_by("title", "pk").prefetch_related(photos)


class ProductEditView(ProducerMixin, generic.TemplateView):
    """One of the producer's products: its description and its photos (404 for another's product).
    Price and stock are on "Stock and prices"; title, category and certificate are the office's."""

    template_name = "producer_portal/product_edit.html"

    def get_product(self):
        return get_object_or_404(own_products(self.partner), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = kwargs.get("product") or self.get_product()
        ctx.update(product=product, form=kwargs.get("form") or ProductTextForm(instance=product),
                   photos=kwargs.get("photos") or ProductPhotoFormSet(
                       instance=product, queryset=product.images.order_by("display_order", "pk")))
        return ctx

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        form = ProductTextForm(request.POST, instance=product)
        photos = ProductPhotoFormSet(request.POST, request.FILES, instance=product,
                                     queryset=product.images.order_by("display_order", "pk"))
        if not (form.is_valid() and photos.is_valid()):
            messages.error(request, _("Some fields need fixing: nothing was saved."))
            return self.render_to_response(self.get_context_data(product=product, form=form, photos=photos))
        with transaction.atomic():
            form.save()
            photos.save()
        messages.success(request, _("%(title)s saved: the shop shows it now.") % {"title": product.get_title()})
        return redirect("dashboard:producer-product", pk=product.pk)


class ProfileView(ProducerMixin, generic.TemplateView):
    """Who the producer is to the shop, and the way to their bank account, messages and notices."""

    template_name = "producer_portal/profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(account=BankAccount.objects.filter(producer=self.partner).first(),
                   preference=preference_of(partner=self.partner),
                   members=self.partner.users.order_by("pk"))
        return ctx
