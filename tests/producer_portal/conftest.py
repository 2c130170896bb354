"""The two demo producers (Chiềng Mai coffee = A, Mộc Châu tea = B) and orders placed the way the
checkout places them, from the session's demo catalogue."""
import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from tests.checkout.stock.factories import basket_of, place
from tests.stock.guard import stock_ledger_balanced, stock_written_around_the_ledger  # noqa: F401

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
A_EMAIL, B_EMAIL = "htx.chiengmai@ocop.demo", "mocchau.tea@ocop.demo"


def record(sku):
    return StockRecord.objects.select_related("product", "partner").get(partner_sku=sku)


def order_of(*lines):
    """Place an order of (sku, quantity) lines."""
    return place(basket_of(*[(record(sku).product, quantity) for sku, quantity in lines]))


@pytest.fixture
def producer_a(db):
    return Partner.objects.get(code="chieng-mai-coffee")


@pytest.fixture
def producer_b(db):
    return Partner.objects.get(code="moc-chau-tea")


@pytest.fixture
def client_a(client, db):
    client.force_login(get_user_model().objects.get(email=A_EMAIL))
    return client


@pytest.fixture
def client_b(db):
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.get(email=B_EMAIL))
    return c


def stock_page_as_posted(page) -> dict:
    """The producer stock page's form data as the browser would post it unchanged (prices as whole
    đồng): a test then spoils one value."""
    formset = page.context["formset"]
    data = {formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[form.add_prefix(name)] = "" if value is None else (int(value) if name == "price" else value)
    return data
