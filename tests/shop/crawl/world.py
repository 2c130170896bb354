"""The demo as each role sees it, plus one of every object a URL can name (the demo has no reviews,
vouchers or wish lists), each owned by the role and by someone else, so every path parameter gets
a real value of the role's own, another user's, and bogus ones."""
from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.core.loading import get_model

from pos import cart as carts
from pos import sale as sales
from pos import shifts, stock
from producer_portal.models import StockImport
from settlement.models import Payout, PayoutRun
from shop.order.tracking import token_for
from showrooms.models import Showroom, ShowroomStaff
from tests.checkout.stock.factories import basket_of, place
from tests.pickup.world import place_pickup

from . import ownership

User = get_user_model()
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
Option = get_model("catalogue", "Option")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
ProductReview = get_model("reviews", "ProductReview")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")
ProductAlert = get_model("customer", "ProductAlert")
Email = get_model("communication", "Email")
CommsNotification = get_model("communication", "Notification")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")
BasketLine = get_model("basket", "Line")
BankTransfer = get_model("banking", "BankTransfer")
Certificate = get_model("catalog_ext", "Certificate")
GI = get_model("catalog_ext", "GeographicalIndication")
GILicence = get_model("catalog_ext", "GILicence")
CertificateImport = get_model("catalog_ext", "CertificateImport")
Shift = get_model("pos", "Shift")
PosSale = get_model("pos", "PosSale")
Pickup = get_model("pickups", "Pickup")

ROLES = ("anonymous", "customer", "producer", "cashier", "manager", "office", "superuser")
DEMO_EMAILS = {
    "customer": "khach@ocop.demo",
    "producer": "htx.chiengmai@ocop.demo",
    "cashier": "thungan.moc-chau@ocop.demo",
    "manager": "quanly.moc-chau@ocop.demo",
    "superuser": "admin@ocop.demo",
}
PRIVILEGED = {"office", "superuser"}  # OCOP office: authority over what the view is about

# The bogus path values every parameter also gets (the brief's list).
BOGUS = ("0", "999999999", "-1", "x" * 300, "Cà phê 🍵 עברית", "'%_\\")

_serial = itertools.count(1)


@dataclass
class World:
    users: dict[str, object]  # role -> user (None for anonymous)
    other_customer: object
    extra: dict = field(default_factory=dict)

    def user(self, role):
        return self.users[role]


def _customer_things(user, product, other_product):
    """An address, a wish list with a line, an alert, an e-mail, a notice and a review of `user`."""
    n = next(_serial)
    country = Country.objects.get(iso_3166_1_a2="VN")
    UserAddress.objects.create(user=user, first_name="Hà", last_name=f"Nguyễn {n}", line1="12 Tô Hiệu",
                               line4="Sơn La", country=country, phone_number="+84912345678")
    wishlist = WishList.objects.create(owner=user, name=f"Quà Tết {n}")
    WishList.objects.create(owner=user, name=f"Để dành {n}")  # a second list to move lines to
    WishListLine.objects.create(wishlist=wishlist, product=product, title=product.title)
    ProductAlert.objects.create(user=user, product=other_product, status=ProductAlert.ACTIVE)
    ProductAlert.objects.create(email=f"guest{n}@example.vn", product=product, status=ProductAlert.UNCONFIRMED)
    Email.objects.create(user=user, email=user.email, subject="Đơn hàng", body_text="Cảm ơn")
    CommsNotification.objects.create(recipient=user, subject="Tin mới", body="Xin chào")
    ProductReview.objects.create(product=product, user=user, score=4, title=f"Ngon {n}", body="Thơm",
                                 status=ProductReview.APPROVED)


def _door_orders(customer, coffee, tea):
    """COD orders of `customer` at the door and after it (shop/order/lifecycle.py), so the portal's and
    the office's door buttons and return answers, and the shopper's return form, are all crawled: one
    parcel at the door, one refused (to receive back), one delivered with a return waiting for the
    office and one accepted (to receive back)."""
    from producer_portal import fulfilment
    from shop.order import lifecycle
    from shop.payment.services import record_payment_choice

    orders = []
    for _ in range(3):
        basket = basket_of((coffee, 3), (tea, 1), owner=customer)
        order = place(basket, user=customer)
        basket.submit()  # as the checkout does: the shopper's basket is empty again
        record_payment_choice(order=order, method="cod")
        for partner in Partner.objects.filter(pk__in=order.lines.values("partner_id")).order_by("pk"):
            fulfilment.mark_shipped(order=order, partner=partner, carrier="GHN", tracking_number="GHN-CRAWL")
        orders.append(order)
    _at_door, refused, delivered = orders
    lifecycle.refuse(order=refused, reason="Khách đi vắng")
    lifecycle.deliver(order=delivered, cod_reference="PT-CRAWL")
    line = delivered.lines.get(product=coffee)
    accepted = lifecycle.request_return(line=line, quantity=1, reason="Hộp bị móp", user=customer)
    lifecycle.accept_return(line_return=accepted, actor=None, refund_reference="CK-CRAWL")
    lifecycle.request_return(line=line, quantity=1, reason="Hạt bị ẩm", user=customer)


def _pos_sale(email):
    """An open shift with one completed sale and one line waiting in the cart, at `email`'s counter."""
    user = User.objects.get(email=email)
    staff = ShowroomStaff.objects.select_related("showroom__partner").filter(user=user).first()
    shift = shifts.open_shift_of(user, staff.showroom) or shifts.open_shift(
        user=user, showroom=staff.showroom, opening_float=Decimal(500000))
    shelf = StockRecord.objects.filter(partner=staff.showroom.partner, num_in_stock__gt=2).select_related("product")
    product = shelf.first().product
    cart = carts.cart_for(user, staff.showroom)
    carts.add(cart, product, 1)
    cart = carts.cart_for(user, staff.showroom)
    sale, _ = sales.complete_sale(cart_id=cart.pk, basket_id=cart.basket_id, version=cart.version, shift=shift,
                                  tender=sales.Tender(cash_tendered=Decimal(10**7)))
    carts.add(carts.cart_for(user, staff.showroom), product, 1)
    return sale


def build_world() -> World:
    """Runs inside the test's transaction: everything made here is rolled back after the test."""
    call_command("demo_orders", verbosity=0, stdout=open("/dev/null", "w"))
    users = {"anonymous": None, **{role: User.objects.get(email=email) for role, email in DEMO_EMAILS.items()}}
    users["office"] = User.objects.create_user(username="office-crawl", email="office.crawl@ocop.test",
                                               password="office-crawl-2026", is_staff=True)
    other = User.objects.create_user(username="other-customer", email="khach.khac@example.vn", password="x-other-1")
    coffee, tea = (StockRecord.objects.get(partner_sku=sku).product for sku in ("CF-001", "TE-001"))
    for user in (users["customer"], other):
        _customer_things(user, coffee, tea)
    place(basket_of((coffee, 1), owner=other), user=other)
    _door_orders(users["customer"], coffee, tea)
    _pos_sale("thungan.moc-chau@ocop.demo")
    _pos_sale("thungan.to-hieu@ocop.demo")  # another showroom's counter
    for slug in ("demo-moc-chau", "demo-to-hieu"):  # a pick-up ready on each shelf (pickups/)
        showroom = Showroom.objects.get(slug=slug)
        shelf = StockRecord.objects.filter(partner=showroom.partner, num_in_stock__gt=2).order_by("pk").first()
        place_pickup(showroom, [(shelf.product, 1)])  # the shopper's, paid at the counter
    for producer in Partner.objects.filter(code__in=("chieng-mai-coffee", "moc-chau-tea")):
        StockImport.objects.create(partner=producer, user=producer.users.first(), filename="stock.csv",
                                   changes=[])
    CertificateImport.objects.create(created_by=users["superuser"], filename="list.csv", rows=[])
    OrderNote.objects.create(order=Order.objects.get(number="DEMO-100001"), user=users["superuser"],
                             message="Gọi trước khi giao")
    offer_range = Range.objects.create(name="Quà Tết", slug="qua-tet", includes_all_products=True)
    benefit = Benefit.objects.create(range=offer_range, type=Benefit.PERCENTAGE, value=10)
    condition = Condition.objects.create(range=offer_range, type=Condition.COUNT, value=1)
    ConditionalOffer.objects.create(name="Giảm Tết", slug="giam-tet", benefit=benefit, condition=condition,
                                    offer_type=ConditionalOffer.SITE)
    now = timezone.now()
    voucher_set = VoucherSet.objects.create(name="Tết 2027", count=0, code_length=8, start_datetime=now,
                                            end_datetime=now + datetime.timedelta(days=30))
    Voucher.objects.create(name="TET2027", code="TET2027", usage=Voucher.MULTI_USE, start_datetime=now,
                           end_datetime=now + datetime.timedelta(days=30), voucher_set=voucher_set)
    FlatPage.objects.create(url="/gioi-thieu/", title="Giới thiệu", content="OCOP Sơn La").sites.add(1)
    WeightBand.objects.create(method=WeightBased.objects.create(name="Theo cân", code="theo-can"),
                              upper_limit=Decimal(5), charge=Decimal(30000))
    Option.objects.get_or_create(name="Lời chúc", code="loi-chuc")
    AttributeOptionGroup.objects.get_or_create(name="Vùng")
    _one_of_each_admin_model(users, Order.objects.get(number="DEMO-100001"), coffee)
    return World(users=users, other_customer=other)


def _one_of_each_admin_model(users, order, product):
    """A row for each admin page the demo leaves empty, so its change/delete pages are crawled."""
    customer = users["customer"]
    line = order.lines.first()
    option = Option.objects.get(code="loi-chuc")
    get_model("analytics", "UserProductView").objects.create(user=customer, product=product)
    get_model("analytics", "UserSearch").objects.create(user=customer, query="ca phe")
    basket_line = BasketLine.objects.filter(basket__pos_cart__isnull=False).first()
    get_model("basket", "LineAttribute").objects.create(line=basket_line, option=option, value="Chúc mừng")
    get_model("order", "BillingAddress").objects.create(first_name="Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                                        country=Country.objects.get(iso_3166_1_a2="VN"))
    event_type = CommunicationEventType.objects.first()
    get_model("order", "CommunicationEvent").objects.create(order=order, event_type=event_type)
    get_model("order", "LineAttribute").objects.create(line=line, option=option, type="loi-chuc", value="Tết")
    get_model("order", "OrderDiscount").objects.create(order=order, amount=Decimal(1000), offer_name="Tết")
    get_model("order", "OrderStatusChange").objects.create(order=order, old_status="Pending", new_status="Processing")
    shipped = get_model("order", "ShippingEventType").objects.get_or_create(code="crawl", defaults={"name": "Crawl"})[0]
    get_model("order", "ShippingEvent").objects.create(order=order, event_type=shipped)
    get_model("order", "Surcharge").objects.create(order=order, name="Phí", code="phi", incl_tax=Decimal(1000),
                                                  excl_tax=Decimal(1000))
    get_model("payment", "Bankcard").objects.create(user=customer, card_type="Visa", name="NGUYEN HA",
                                                    number="XXXX-XXXX-XXXX-1111",
                                                    expiry_date=datetime.date(2030, 1, 31))
    get_model("payment", "OrderPayment").objects.get_or_create(order=order, defaults={"method": "cod"})
    get_model("payment", "StripeCheckout").objects.create(order=order, attempt=1, amount=150000,
                                                          expires_at=timezone.now())
    get_model("payment", "StripeEvent").objects.create(event_id="evt_crawl", type="checkout.session.completed",
                                                       order=order)
    # A bank transfer left for the office, and a carrier's parcel, its event, area and COD payout.
    BankTransfer.objects.create(transaction_id="crawl-1", content="CK DH 999999", amount=Decimal(150000),
                                transfer_type="in", status="unmatched", reason="unknown_order")
    parcel = get_model("carriers", "Shipment").objects.create(order=order, partner=line.partner, carrier="ghn",
                                                              waybill="GHNCRAWL1", status="ready", cod_amount=1000)
    get_model("carriers", "ShipmentEvent").objects.create(shipment=parcel, source="poll", carrier_status="picked",
                                                          status="picked_up", occurred_at="crawl")
    get_model("carriers", "CarrierArea").objects.create(carrier="ghn", province_code="14", ward_code="3667",
                                                        carrier_district="2003", carrier_ward="280101")
    get_model("carriers", "CodPayout").objects.create(carrier="ghn", statement="crawl.csv", waybill="GHNCRAWL1",
                                                      amount=Decimal(1000), shipment=parcel)
    shelf = StockRecord.objects.filter(partner__showroom__slug="demo-moc-chau").first()
    stock.stocktake(showroom=Showroom.objects.get(slug="demo-moc-chau"), product=shelf.product,
                    counted=shelf.num_in_stock, reason="Kiểm kê", user=users["manager"])
    review = ProductReview.objects.first()
    get_model("reviews", "Vote").objects.create(review=review, user=users["producer"], delta=1)
    get_model("shipping", "OrderAndItemCharges").objects.create(code="crawl", name="Crawl")
    voucher = Voucher.objects.get(code="TET2027")
    get_model("voucher", "VoucherApplication").objects.create(voucher=voucher, user=customer, order=order)
    get_model("wishlists", "WishListSharedEmail").objects.create(wishlist=WishList.objects.first(),
                                                                 email="ban@example.vn")
    # django-axes' records of sign-ins and lockouts (security), and a catalogue bump Redis missed.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.objects.create(username="khach@ocop.demo", ip_address="203.0.113.7", failures_since_start=1)
    AccessFailureLog.objects.create(username="khach@ocop.demo", ip_address="203.0.113.7")
    AccessLog.objects.create(username="khach@ocop.demo", ip_address="203.0.113.7")
    get_model("catalog_ext", "LostVersionBump").objects.create()
    # A product's analytics row: its counters are written after a commit (shop/view_counts.py), and
    # demo_orders ran inside the test's transaction, which never commits.
    get_model("analytics", "ProductRecord").objects.create(product=order.lines.first().product, num_purchases=1)
    # The outbox's messages and preferences, and the personal-data records (privacy/).
    get_model("notifications", "Message").objects.create(event="ORDER_PLACED", channel="email", order=order,
                                                        key=f"crawl:{order.pk}", recipient=customer.email)
    get_model("notifications", "ContactPreference").objects.create(user=customer, phone="0912345678")
    get_model("privacy", "Consent").objects.create(purpose="checkout", notice_version="crawl", order=order,
                                                  email=customer.email)
    get_model("privacy", "DeletionRequest").objects.create(user_id_erased=999999)
    get_model("privacy", "Anonymisation").objects.create(order=order, reason="crawl")
    get_model("privacy", "StaffAccess").objects.create(staff=users["superuser"], page="dashboard:order-detail",
                                                      subject=f"order {order.number}", path="/dashboard/", method="GET")
    _settlement_rows(users)


def _settlement_rows(users):
    """A producer's bank account (and its change), a commission rule, a payout run with a payout to
    make: the portal's and the office's settlement pages have rows to crawl."""
    from settlement import accounts, commission

    producer = Partner.objects.get(code="chieng-mai-coffee")
    accounts.save_account(producer=producer, bank_bin="970436", account_number="0123456789", holder="HTX CHIENG MAI",
                          user=users["producer"])
    commission.add_rule(rate=Decimal("8.5"), effective_from=timezone.localdate(), producer=producer,
                        user=users["superuser"])
    today = timezone.localdate()
    run = PayoutRun.objects.create(period_start=today - datetime.timedelta(days=60),
                                   period_end=today - datetime.timedelta(days=31), minimum=0)
    Payout.objects.create(run=run, producer=producer, amount=1000, reference=f"OCOP TT{run.pk} P{producer.pk}",
                          bank_bin="970436", account_number="0123456789", holder="HTX CHIENG MAI")


def _pk(model):
    return model, lambda o: {"pk": o.pk}


def _order_number(o):
    return {"number": o.number, "order_number": o.number, "token": token_for(o), "hash": o.verification_hash()}


# url name -> (the model a URL names, the path values read off one of its rows). Written out
# because a view's `model` attribute often names another model than its URL's parameter.
ANCHORS = {
    "producers:detail": (Partner, lambda o: {"slug": o.code}),
    "trace:product": (Product, lambda o: {"code": o.upc or o.pk}),
    "trace:qr-svg": (Product, lambda o: {"code": o.upc or o.pk}),
    "trace:qr-png": (Product, lambda o: {"code": o.upc or o.pk}),
    "order-tracking:signed": (Order, _order_number),
    "pos:shift-report": _pk(Shift),
    "pos:receipt": (PosSale, lambda o: {"number": o.order.number}),
    "pos:return": (PosSale, lambda o: {"number": o.order.number}),
    "pos:api-line": (BasketLine, lambda o: {"line_id": o.pk}),
    "pos:pickup": (Pickup, lambda o: {"number": o.order.number}),
    "pos:pickup-receive": (Pickup, lambda o: {"number": o.order.number}),
    "pos:pickup-collect": (Pickup, lambda o: {"number": o.order.number}),
    "pos:pickup-receipt": (Pickup, lambda o: {"number": o.order.number}),
    "catalogue:reviews-detail": (ProductReview, lambda o: {"product_slug": o.product.slug,
                                                          "product_pk": o.product_id, "pk": o.pk}),
    "catalogue:reviews-vote": (ProductReview, lambda o: {"product_slug": o.product.slug,
                                                        "product_pk": o.product_id, "pk": o.pk}),
    "catalogue:reviews-add": (Product, lambda o: {"product_slug": o.slug, "product_pk": o.pk}),
    "catalogue:reviews-list": (Product, lambda o: {"product_slug": o.slug, "product_pk": o.pk}),
    "catalogue:detail": (Product, lambda o: {"product_slug": o.slug, "pk": o.pk}),
    "catalogue:category": (Category, lambda o: {"category_slug": o.full_slug, "pk": o.pk}),
    "catalogue:range": (Range, lambda o: {"slug": o.slug}),
    "basket:add": _pk(Product),
    "basket:vouchers-remove": _pk(Voucher),
    "checkout:user-address-update": _pk(UserAddress),
    "checkout:user-address-delete": _pk(UserAddress),
    "checkout:stripe-retry": (Order, _order_number),
    "banking:order-status": (Order, _order_number),
    "banking-office:resolve": (BankTransfer, lambda o: {"pk": o.pk}),
    "carriers:ghn-webhook": (None, lambda o: {"secret": "not-the-secret"}),
    "dashboard:producer-waybill-create": (Order, _order_number),
    "dashboard:producer-waybill-label": (Order, _order_number),
    "dashboard:producer-waybill-cancel": (Order, _order_number),
    "customer:anon-order-form": (Order, _order_number),
    "customer:anon-order": (Order, _order_number),
    "customer:order": (Order, _order_number),
    "customer:order-line": (Line, lambda o: {"order_number": o.order.number, "line_id": o.pk}),
    "customer:address-detail": _pk(UserAddress),
    "customer:address-delete": _pk(UserAddress),
    "customer:address-change-status": (UserAddress, lambda o: {"pk": o.pk, "action": "default_for_shipping"}),
    "customer:email-detail": (Email, lambda o: {"email_id": o.pk}),
    "customer:notifications-detail": _pk(CommsNotification),
    "customer:alert-create": _pk(Product),
    "customer:alerts-confirm": (ProductAlert, lambda o: {"key": o.key or "no-key"}),
    "customer:alerts-cancel-by-key": (ProductAlert, lambda o: {"key": o.key or "no-key"}),
    "customer:alerts-cancel-by-pk": _pk(ProductAlert),
    "customer:wishlists-add-product": (WishListLine, lambda o: {"key": o.wishlist.key, "product_pk": o.product_id}),
    "customer:wishlists-create-with-product": (Product, lambda o: {"product_pk": o.pk}),
    "account-wishlists-create-with-product": (Product, lambda o: {"product_pk": o.pk}),  # shop/account_views.py
    "account-order": (Order, _order_number),  # shop/account_views.py OrderDetailView, Oscar's path
    "account-order-line": (Line, lambda o: {"order_number": o.order.number, "line_id": o.pk}),
    "account-order-line-return": (Line, lambda o: {"order_number": o.order.number, "line_id": o.pk}),
    "customer:wishlists-detail": (WishList, lambda o: {"key": o.key}),
    "customer:wishlists-update": (WishList, lambda o: {"key": o.key}),
    "customer:wishlists-delete": (WishList, lambda o: {"key": o.key}),
    "customer:wishlists-remove-product": (WishListLine, lambda o: {"key": o.wishlist.key, "line_pk": o.pk,
                                                                   "product_pk": o.product_id}),
    "customer:wishlists-move-product-to-another": (WishListLine, lambda o: {
        "key": o.wishlist.key, "line_pk": o.pk,
        "to_key": (WishList.objects.filter(owner_id=o.wishlist.owner_id).exclude(pk=o.wishlist_id).first()
                   or o.wishlist).key}),
    "wishlists:detail": (WishList, lambda o: {"key": o.key}),
    "dashboard:catalogue-product": _pk(Product),
    "dashboard:catalogue-product-create": (ProductClass, lambda o: {"product_class_slug": o.slug}),
    "dashboard:catalogue-product-create-child": (Product, lambda o: {"parent_pk": o.pk}),
    "dashboard:catalogue-product-delete": _pk(Product),
    "dashboard:catalogue-category-detail-list": _pk(Category),
    "dashboard:catalogue-category-create-child": (Category, lambda o: {"parent": o.pk}),
    "dashboard:catalogue-category-update": _pk(Category),
    "dashboard:catalogue-category-delete": _pk(Category),
    "dashboard:catalogue-class-update": _pk(ProductClass),
    "dashboard:catalogue-class-delete": _pk(ProductClass),
    "dashboard:catalogue-attribute-option-group-update": _pk(AttributeOptionGroup),
    "dashboard:catalogue-attribute-option-group-delete": _pk(AttributeOptionGroup),
    "dashboard:catalogue-option-update": _pk(Option),
    "dashboard:catalogue-option-delete": _pk(Option),
    "dashboard:order-detail": (Order, _order_number),
    "dashboard:order-detail-note": (OrderNote, lambda o: {"number": o.order.number, "note_id": o.pk}),
    "dashboard:order-line-detail": (Line, lambda o: {"number": o.order.number, "line_id": o.pk}),
    "dashboard:order-shipping-address": (Order, _order_number),
    "dashboard:user-detail": _pk(User),
    "dashboard:user-password-reset": _pk(User),
    "dashboard:user-alert-delete": _pk(ProductAlert),
    "dashboard:user-alert-update": _pk(ProductAlert),
    "dashboard:page-update": _pk(FlatPage),
    "dashboard:page-delete": _pk(FlatPage),
    "dashboard:partner-manage": _pk(Partner),
    "dashboard:partner-delete": _pk(Partner),
    "dashboard:partner-user-create": (Partner, lambda o: {"partner_pk": o.pk}),
    "dashboard:partner-user-select": (Partner, lambda o: {"partner_pk": o.pk}),
    "dashboard:partner-user-link": (Partner, lambda o: {"partner_pk": o.pk, "user_pk": _a_user_of(o)}),
    "dashboard:partner-user-unlink": (Partner, lambda o: {"partner_pk": o.pk, "user_pk": _a_user_of(o)}),
    "dashboard:partner-user-update": (Partner, lambda o: {"partner_pk": o.pk, "user_pk": _a_user_of(o)}),
    "dashboard:offer-metadata": _pk(ConditionalOffer),
    "dashboard:offer-condition": _pk(ConditionalOffer),
    "dashboard:offer-benefit": _pk(ConditionalOffer),
    "dashboard:offer-restrictions": _pk(ConditionalOffer),
    "dashboard:offer-delete": _pk(ConditionalOffer),
    "dashboard:offer-detail": _pk(ConditionalOffer),
    "dashboard:range-update": _pk(Range),
    "dashboard:range-delete": _pk(Range),
    "dashboard:range-products": _pk(Range),
    "dashboard:range-reorder": _pk(Range),
    "dashboard:reviews-update": _pk(ProductReview),
    "dashboard:reviews-delete": _pk(ProductReview),
    "dashboard:voucher-update": _pk(Voucher),
    "dashboard:voucher-delete": _pk(Voucher),
    "dashboard:voucher-stats": _pk(Voucher),
    "dashboard:voucher-set-update": _pk(VoucherSet),
    "dashboard:voucher-set-detail": _pk(VoucherSet),
    "dashboard:voucher-set-download": _pk(VoucherSet),
    "dashboard:voucher-set-delete": _pk(VoucherSet),
    "dashboard:comms-update": (CommunicationEventType, lambda o: {"slug": o.code}),
    "dashboard:shipping-method-detail": _pk(WeightBased),
    "dashboard:shipping-method-edit": _pk(WeightBased),
    "dashboard:shipping-method-delete": _pk(WeightBased),
    "dashboard:shipping-method-band-edit": (WeightBand, lambda o: {"method_pk": o.method_id, "pk": o.pk}),
    "dashboard:shipping-method-band-delete": (WeightBand, lambda o: {"method_pk": o.method_id, "pk": o.pk}),
    "dashboard:ocop-certificate-update": _pk(Certificate),
    "dashboard:ocop-certificate-revoke": _pk(Certificate),
    "dashboard:ocop-certificate-renew": _pk(Certificate),
    "dashboard:ocop-import-preview": (CertificateImport, lambda o: {"token": o.token}),
    "dashboard:ocop-gi-update": _pk(GI),
    "dashboard:ocop-licence-update": _pk(GILicence),
    "dashboard:ocop-licence-revoke": _pk(GILicence),
    "dashboard:producer-order": (Order, _order_number),
    "dashboard:producer-stock-edit": _pk(StockRecord),
    "dashboard:producer-product": _pk(Product),
    "dashboard:producer-stock-import-preview": (StockImport, lambda o: {"token": o.token}),
    "offer:detail": (ConditionalOffer, lambda o: {"slug": o.slug}),
    "dashboard:settlement-run": _pk(PayoutRun),
    "dashboard:settlement-run-csv": _pk(PayoutRun),
    "dashboard:settlement-pay": _pk(Payout),
    "password-reset-confirm": (User, lambda o: {"uidb64": urlsafe_base64_encode(force_bytes(o.pk)),
                                                "token": default_token_generator.make_token(o)}),
}


def _a_user_of(partner):
    user = partner.users.first()
    return user.pk if user else 999999999


def _admin_values(route, obj):
    """The Django admin's patterns: an object's change/delete/history pages, a user's password
    page, an app index, the view-on-site redirect, the category tree's children and catch-all."""
    values = {"object_id": obj.pk, "id": obj.pk, "parent_id": obj.pk, "app_label": obj._meta.app_label,
              "content_type_id": ContentType.objects.get_for_model(obj).pk, "url": "no-such-page/"}
    return {k: v for k, v in values.items() if k in route.params}


def _admin_model(route):
    """The model of an admin page: its ModelAdmin's, else the one its path names (/admin/app/model/)."""
    if route.model_admin is not None:
        return route.model_admin.model
    parts = route.regex.split("/")
    if parts[0] == "admin" and len(parts) > 3:
        try:
            return apps.get_model(parts[1], parts[2])
        except LookupError:
            return None
    return None


def anchor_for(route):
    """(model, row -> values) for a route with parameters, or None when the crawler has not been
    taught how to fill it (test_every_url_pattern_is_crawled then fails with its name)."""
    if route.name in ANCHORS:
        return ANCHORS[route.name]
    admin_model = _admin_model(route)
    if admin_model is not None and set(route.params) <= {"object_id", "parent_id"}:
        return admin_model, lambda o: _admin_values(route, o)
    if route.name == "admin:auth_user_password_change":
        return User, lambda o: _admin_values(route, o)
    if route.name == "admin:view_on_site":
        return Product, lambda o: _admin_values(route, o)
    if route.regex.startswith("admin/") and route.params == ("url",):  # the admin's catch-all
        return None, lambda o: {"url": "no-such-page/"}
    if route.name == "admin:app_list":
        return None, lambda o: {"app_label": "catalogue"}
    if route.params == ("path",) and route.regex.startswith("media/"):
        return None, lambda o: {"path": Product.objects.filter(images__isnull=False).first()
                                .primary_image().original.name}
    return None if route.params else (None, lambda o: {})


@dataclass(frozen=True)
class Fill:
    kind: str  # "plain" (no parameters), "own", "other" or "bogus"
    path: str
    target: object = None  # the row the path names, when it names one


def fills(route, user, *, seed: int = 0, full: bool = True) -> list[Fill]:
    """The paths to crawl for `route` as `user`: the role's own row, another's, and bogus values
    (bounded: two of them, picked by `seed`)."""
    anchor = anchor_for(route)
    if anchor is None:
        return []
    model, values = anchor
    if not route.params:
        return [Fill("plain", route.build({}))]
    found = []
    if model is None:
        found.append(Fill("own", route.build(values(None))))
    else:
        own, other = ownership.split(model, user)
        for kind, obj in (("own", own), ("other", other)):
            if obj is not None:
                found.append(Fill(kind, route.build(_complete(route, values(obj))), obj))
    bogus_values = BOGUS if full else (BOGUS[seed % len(BOGUS)], BOGUS[(seed + 3) % len(BOGUS)])
    for bogus in bogus_values:
        found.append(Fill("bogus", route.build({name: bogus for name in route.params})))
    return found


def _complete(route, values):
    missing = [name for name in route.params if name not in values]
    if missing:
        raise LookupError(f"{route.label}: the anchor gives no value for {missing}")
    return {name: values[name] for name in route.params}
