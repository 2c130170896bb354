"""Why is this 57? The producer reads a stock record's history in the portal, office staff on the
product's dashboard page: each change in Vietnamese, with the order it came from linked."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests.producer_portal.conftest import A_EMAIL, order_of, record

StockMovement = get_model("partner", "StockMovement")
pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(client):
    client.force_login(get_user_model().objects.get(email=A_EMAIL))
    return client


def test_the_producer_reads_the_history_of_their_record_with_the_order_linked(client_a):
    order = order_of(("CF-002", 2))
    portal_order = reverse("dashboard:producer-order", kwargs={"number": order.number})
    client_a.post(portal_order, {"action": "ship", "carrier": "Viettel Post", "tracking_number": "VTP777"})
    coffee = record("CF-002")
    client_a.post(reverse("dashboard:producer-stock-edit", kwargs={"pk": coffee.pk}),
                  {"num_in_stock": coffee.num_in_stock + 5, "price": int(coffee.price), "low_stock_threshold": 3})

    page = client_a.get(reverse("dashboard:producer-stock-edit", kwargs={"pk": coffee.pk}))
    html = page.content.decode()

    assert page.status_code == 200
    rows = page.context["history"]
    assert [row.reason for row in rows[:3]] == ["Nhà sản xuất sửa số tồn", "Đã giao đi: gửi vận chuyển hoặc khách nhận",
                                                "Đơn hàng đặt: giữ hàng"]
    assert (rows[0].delta_in_stock, rows[0].in_stock_after) == (5, coffee.num_in_stock + 5)
    assert (rows[1].delta_in_stock, rows[1].delta_allocated) == (-2, -2)
    assert f'<a href="{portal_order}">Đơn hàng {order.number}</a>' in html
    assert "Lịch sử kho" in html and "VTP777" in html  # the carrier and number are the hand-over's note


def test_another_producers_record_and_its_history_stay_hidden(client_a):
    tea = record("TE-002")
    assert client_a.get(reverse("dashboard:producer-stock-edit", kwargs={"pk": tea.pk})).status_code == 404


def test_office_staff_read_every_records_history_on_the_product_page(client):
    order = order_of(("CF-002", 1))
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    coffee = record("CF-002")

    page = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": coffee.product_id}))
    html = page.content.decode()

    assert page.status_code == 200
    (shown, rows), *_ = page.context["stock_histories"]
    assert shown == coffee and rows[0].reason == "Đơn hàng đặt: giữ hàng"
    office_order = reverse("dashboard:order-detail", kwargs={"number": order.number})
    assert f'<a href="{office_order}">Đơn hàng {order.number}</a>' in html


def test_an_office_edit_of_the_count_goes_through_the_ledger(client):
    client.force_login(get_user_model().objects.get(email="admin@ocop.demo"))
    coffee = record("CF-002")
    url = reverse("dashboard:catalogue-product", kwargs={"pk": coffee.product_id})
    form = client.get(url).context

    data = _product_post(form)
    data["stockrecords-0-num_in_stock"] = str(coffee.num_in_stock + 7)
    response = client.post(url, data)

    assert response.status_code == 302, [(k, response.context[k].errors) for k in (
        "form", "category_formset", "image_formset", "recommended_formset", "stockrecord_formset")]
    edit = StockMovement.objects.filter(stockrecord=coffee).latest("pk")
    assert (edit.reason, edit.delta_in_stock, edit.actor.email) == ("office_edit", 7, "admin@ocop.demo")


def _product_post(ctx) -> dict:
    """The product page's forms as the browser posts them back unchanged (without the empty extra rows)."""
    data = {}
    forms = [ctx["form"]]
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset"):
        formset = ctx[name]
        count = len(formset.initial_forms)
        data.update({f"{formset.prefix}-TOTAL_FORMS": str(count), f"{formset.prefix}-INITIAL_FORMS": str(count),
                     f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"})
        forms.extend(formset.initial_forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data
