"""Who may do what, end to end: one parameter per cell of the README's table ("Who may do what").

Roles: anonymous, customer, producer, cashier, showroom manager, office staff (is_staff, no
superuser) and admin (superuser). A cell says what the role gets: the page (ALLOW), the login page
(LOGIN), or nothing of it (DENY: 403 or 404, or sent to a login page, and never the other
party's data). A producer's isolation from another producer is tests/producer_portal/test_isolation.py.
"""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_model

from pos.models import PosSale
from showrooms.models import ShowroomStaff
from tests.catalog_ext.storefront.test_orders import place_order
from tests.pos.conftest import Counter
from tests.pos.factories import make_staff

pytestmark = pytest.mark.django_db
User = get_user_model()
Order = get_model("order", "Order")

ALLOW, LOGIN, DENY, PORTAL = "allow", "login", "deny", "portal"  # PORTAL: sent to the producer's own pages
ROLES = ("anonymous", "customer", "producer", "cashier", "manager", "office", "admin")


class World:
    """Two customers with an order each, two showrooms with a shift and a sale each."""

    def __init__(self):
        self.customer = User.objects.get(email="khach@ocop.demo")
        self.other_customer = User.objects.create_user("other-customer", "khac@example.vn", "x-secret-1")
        self.own_order = place_order(user=self.customer)
        self.others_order = place_order(user=self.other_customer)
        self.here = Counter(Client())
        self.there = Counter(Client())
        for counter in (self.here, self.there):
            counter.scan(counter.tea.upc)
            assert counter.complete(cash_tendered=150000).status_code == 200
        self.here_sale = PosSale.objects.get(showroom=self.here.showroom).order.number
        self.there_sale = PosSale.objects.get(showroom=self.there.showroom).order.number
        self.manager = make_staff(self.here.showroom, role=ShowroomStaff.MANAGER)
        # The demo's office account: staff, not superuser, in the office group (shop/staff_roles.py).
        self.office = User.objects.get(email="vanphong@ocop.demo")

    def client(self, role) -> Client:
        users = {
            "customer": self.customer,
            "producer": User.objects.get(email="mocchau.tea@ocop.demo"),
            "cashier": self.here.cashier,
            "manager": self.manager,
            "office": self.office,
            "admin": User.objects.get(email="admin@ocop.demo"),
        }
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        return client


@pytest.fixture
def world():
    return World()


def anyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, **others):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], outcome), **others}


def staff_only(**others):
    return {**signed_in(DENY), "office": ALLOW, "admin": ALLOW, **others}


# capability: (method, url from the world, expected per role)
CAPABILITIES = {
    "browse the shop": ("get", lambda w: "/catalogue/", anyone(ALLOW)),
    "buy (basket)": ("get", lambda w: "/basket/", anyone(ALLOW)),
    "own orders": ("get", lambda w: f"/accounts/orders/{w.own_order.number}/",
                   signed_in(DENY, customer=ALLOW)),
    "another customer's order, by its number": ("get", lambda w: f"/accounts/orders/{w.others_order.number}/",
                                                signed_in(DENY)),
    # The office sees the page saying it is for producers (no producer's data in it).
    "producer portal (own data)": ("get", lambda w: "/dashboard/producer/",
                                   signed_in(DENY, producer=ALLOW, admin=ALLOW)),
    "POS counter, own showroom": ("get", lambda w: "/pos/", signed_in(DENY, cashier=ALLOW, manager=ALLOW)),
    "POS sales list, own showroom": ("get", lambda w: "/pos/sales/",
                                     signed_in(DENY, cashier=ALLOW, manager=ALLOW)),
    "POS receipt, own showroom": ("get", lambda w: f"/pos/sales/{w.here_sale}/receipt/",
                                  signed_in(DENY, cashier=ALLOW, manager=ALLOW)),
    "POS receipt, another showroom": ("get", lambda w: f"/pos/sales/{w.there_sale}/receipt/", signed_in(DENY)),
    "POS return, another showroom": ("get", lambda w: f"/pos/sales/{w.there_sale}/return/", signed_in(DENY)),
    "POS shift report, own showroom": ("get", lambda w: f"/pos/shifts/{w.here.shift.pk}/",
                                       staff_only(cashier=ALLOW, manager=ALLOW)),
    "POS shift report, another showroom": ("get", lambda w: f"/pos/shifts/{w.there.shift.pk}/", staff_only()),
    "dashboard orders list": ("get", lambda w: "/dashboard/orders/", staff_only(producer=PORTAL)),
    "dashboard: another customer's order": ("get", lambda w: f"/dashboard/orders/{w.others_order.number}/",
                                            staff_only()),
    "OCOP office (certificates)": ("get", lambda w: "/dashboard/ocop/certificates/", staff_only()),
    "reports": ("get", lambda w: "/dashboard/reports/", staff_only()),
    "showroom shifts (office)": ("get", lambda w: "/dashboard/pos/shifts/", staff_only()),
    "Django admin": ("get", lambda w: "/admin/", {**signed_in(DENY), "anonymous": LOGIN, "admin": ALLOW,
                                                   "office": ALLOW}),
    "Django admin: users": ("get", lambda w: "/admin/auth/user/", {**signed_in(DENY), "admin": ALLOW}),
    "Stripe webhook without a signature": ("post", lambda w: "/checkout/stripe/webhook/", anyone(DENY)),
}
def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


def check_cell(world, capability, role):
    method, url, expected = CAPABILITIES[capability]
    url = url(world)
    response = getattr(world.client(role), method)(url)
    outcome = expected[role]
    if outcome == ALLOW:
        assert response.status_code == 200, (response.status_code, response.get("Location"))
    elif outcome == LOGIN:
        assert is_login_redirect(response), (response.status_code, response.get("Location"))
    elif outcome == PORTAL:
        assert response.status_code == 302 and response["Location"].startswith("/dashboard/producer/"), (
            response.status_code, response.get("Location"))
    else:
        assert is_login_redirect(response) or response.status_code in (400, 403, 404), (
            response.status_code, response.get("Location"))
        if response.status_code != 404:  # DEBUG's 404 page echoes the requested URL itself
            secrets = {str(world.others_order.number), str(world.there_sale), world.other_customer.email}
            # The page may repeat the address asked for (the language switcher's "next"), nothing else.
            body = response.content.decode(errors="replace").replace(url, "")
            assert not any(secret in body for secret in secrets)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_do_what(world, role, subtests):
    """One test per role (the world costs seconds to build), one subtest per cell of its column."""
    for capability in CAPABILITIES:
        with subtests.test(msg=f"{capability} | {role}"):
            check_cell(world, capability, role)


def test_a_cashier_cannot_switch_to_another_showrooms_counter(world):
    client = world.client("cashier")
    client.post("/pos/showroom/", {"showroom": world.there.showroom.pk})
    page = client.get("/pos/").content.decode()
    assert world.here.showroom.name in page and world.there.showroom.name not in page
    sales = client.get("/pos/sales/").content.decode()
    assert str(world.here_sale) in sales and str(world.there_sale) not in sales



def test_guessing_another_customers_order_number_on_the_tracking_page_finds_nothing(world):
    response = world.client("customer").post("/orders/track/", {"number": world.others_order.number,
                                                                 "contact": "khach@ocop.demo"})
    page = response.content.decode()
    assert "data-tracking-error" in page and "khac@example.vn" not in page
    # The number shows only where the shopper typed it (the form keeps its value), never as a result.
    typed = f'value="{world.others_order.number}"'
    assert typed in page and str(world.others_order.number) not in page.replace(typed, "")
    assert str(world.others_order.shipping_address.line1) not in page
    assert world.client("anonymous").get(f"/orders/track/{world.others_order.number}/not-a-token/").status_code == 404


def _urls(namespace):
    """Every URL of the namespace, its parameters filled with 1 (or x where 1 does not fit)."""
    _, root = get_resolver().namespace_dict[namespace]
    found = set()

    def walk(patterns, params, prefix):
        for entry in patterns:
            names = list(params) + list(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, names, prefix + (f"{entry.namespace}:" if entry.namespace else ""))
            elif isinstance(entry, URLPattern) and entry.name:
                for value in ("1", "x"):
                    try:
                        found.add(reverse(f"{prefix}{entry.name}", kwargs=dict.fromkeys(names, value)))
                        break
                    except NoReverseMatch:
                        continue

    walk(root.url_patterns, [], f"{namespace}:")
    return found


PUBLIC = {reverse("dashboard:login"), reverse("dashboard:logout"), reverse("pos:login")}  # signing in and out
PROTECTED = sorted((_urls("dashboard") | _urls("pos") | _urls("pos-office")) - PUBLIC)


@pytest.mark.parametrize("url", PROTECTED)
def test_anonymous_is_sent_to_login_from_every_dashboard_and_pos_url(url):
    """(A view for one method only may answer the other 405 before asking who you are.)"""
    answers = {method: getattr(Client(), method)(url) for method in ("get", "post")}
    assert any(is_login_redirect(response) for response in answers.values()), {
        m: r.status_code for m, r in answers.items()}
    assert all(is_login_redirect(r) or r.status_code in (404, 405) for r in answers.values()), {
        m: r.status_code for m, r in answers.items()}
