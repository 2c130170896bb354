"""Stock and prices: the quick-edit list, one record with its threshold, CSV export and import
(checked in full, all or nothing, safe to repeat)."""
import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from notifications.models import Kind, Notification
from producer_portal import stock_csv

from .conftest import order_of, record

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db
A_SKUS = ("CF-001", "CF-002", "CF-003")


def formset_post(page, changes):
    """The list's POST as a browser sends it, with `changes` {sku: {field: value}} applied."""
    formset = page.context["formset"]
    data = {f"form-{k}": v for k, v in formset.management_form.initial.items()}
    for i, form in enumerate(formset.forms):
        values = {"id": form.instance.pk, "num_in_stock": form.instance.num_in_stock,
                  "shown_in_stock": form["shown_in_stock"].value(),
                  "price": int(form.instance.price), "low_stock_threshold": form.instance.low_stock_threshold or ""}
        values.update(changes.get(form.instance.partner_sku, {}))
        data.update({f"form-{i}-{name}": value for name, value in values.items()})
    return data


def queries_for(client, url) -> int:
    # The steady visit: the first one after a change sorts the records by title and keeps the
    # order in a shared cache (producer_portal/stock_order.py), a later one reads it.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_however_many_products(client_a, producer_a):
    url = reverse("dashboard:producer-stock")
    before = queries_for(client_a, url)
    for n in range(5):
        product = Product.objects.create(title=f"Cà phê thử {n}", product_class=ProductClass.objects.first())
        StockRecord.objects.create(product=product, partner=producer_a, partner_sku=f"CF-T{n}", price=1000,
                                   num_in_stock=3)
    assert queries_for(client_a, url) == before <= 14


def test_quick_edit_changes_stock_price_and_threshold_in_one_list(client_a, producer_a):
    url = reverse("dashboard:producer-stock")
    page = client_a.get(url)
    skus = [form.instance.partner_sku for form in page.context["formset"]]
    assert sorted(skus) == sorted(producer_a.stockrecords.values_list("partner_sku", flat=True))
    assert set(A_SKUS) <= set(skus)
    response = client_a.post(url, formset_post(page, {"CF-002": {"num_in_stock": 77, "price": 199000,
                                                                 "low_stock_threshold": 9}}))
    assert response.status_code == 302
    coffee = record("CF-002")
    assert (coffee.num_in_stock, coffee.price, coffee.low_stock_threshold) == (77, Decimal(199000), 9)


def test_quick_edit_refuses_decimals_and_negative_stock_and_saves_nothing(client_a):
    url = reverse("dashboard:producer-stock")
    page = client_a.get(url)
    before = record("CF-001").num_in_stock
    response = client_a.post(url, formset_post(page, {"CF-001": {"num_in_stock": 5},
                                                      "CF-002": {"price": "185000.5"},
                                                      "CF-003": {"num_in_stock": -1}}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập số đồng nguyên (VND không có phần thập phân)." in html
    assert "lớn hơn hoặc bằng với 0" in html
    assert record("CF-001").num_in_stock == before


def test_a_row_naming_another_producers_record_is_refused(client_a):
    url = reverse("dashboard:producer-stock")
    page = client_a.get(url)
    data = formset_post(page, {})
    data["form-0-id"] = record("TE-002").pk
    data["form-0-num_in_stock"] = 0
    response = client_a.post(url, data)
    assert "Một dòng không có trong danh sách của bạn: chưa lưu gì cả." in response.content.decode()
    assert record("TE-002").num_in_stock > 0


def test_the_threshold_is_per_stock_record_and_a_lower_stock_tells_the_producer(client_a,
                                                                               django_capture_on_commit_callbacks):
    coffee = record("CF-003")
    url = reverse("dashboard:producer-stock-edit", kwargs={"pk": coffee.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(url, {"num_in_stock": 4, "price": int(coffee.price), "low_stock_threshold": 5})
    coffee.refresh_from_db()
    assert coffee.low_stock_threshold == 5 and coffee.num_in_stock == 4
    notice = Notification.objects.get(kind=Kind.LOW_STOCK, payload__sku="CF-003")
    assert notice.partner.code == "chieng-mai-coffee"
    home = client_a.get(reverse("dashboard:producer-home")).content.decode()
    low = home[home.index('id="low-stock"'):].split("</section>")[0]
    assert "Cà phê Honey Chiềng Mai 250g" in low and "còn 4" in low and "báo khi dưới 5" in low


def exported(client):
    response = client.get(reverse("dashboard:producer-stock-export"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def upload(client, content: bytes, name="stock.csv"):
    return client.post(reverse("dashboard:producer-stock-import"),
                       {"file": SimpleUploadedFile(name, content, content_type="text/csv")}, follow=True)


def test_export_lists_only_the_producers_stock_and_imports_back_unchanged(client_a):
    rows = exported(client_a)
    assert rows[0] == ["sku", "num_in_stock", "price", "low_stock_threshold", "title", "allocated"]
    assert {r[0] for r in rows[1:]} >= set(A_SKUS) and not any(r[0].startswith("TE-") for r in rows[1:])
    content = "\n".join(",".join(r) for r in rows).encode("utf-8-sig")
    preview = upload(client_a, content)
    assert preview.context["stock_import"].changes  # a re-import of the export is valid as is


def test_import_previews_then_applies_all_rows_and_is_safe_to_repeat(client_a):
    content = b"sku;num_in_stock;price\nCF-001;40;175.000\nCF-002;35;\n"
    preview = upload(client_a, content)
    html = preview.content.decode()
    assert "CF-001" in html and "→ 40" in html and "175.000" in html
    assert record("CF-001").num_in_stock != 40  # nothing before confirming
    confirm_url = preview.redirect_chain[-1][0]
    client_a.post(confirm_url)
    assert (record("CF-001").num_in_stock, record("CF-001").price, record("CF-002").num_in_stock) == (
        40, Decimal(175000), 35)
    # The same confirmation again, and the same file again: the same stock
    client_a.post(confirm_url)
    client_a.post(upload(client_a, content).redirect_chain[-1][0])
    assert (record("CF-001").num_in_stock, record("CF-002").num_in_stock) == (40, 35)


def test_import_reports_every_bad_row_with_its_line_and_changes_nothing(client_a):
    before = record("CF-001").num_in_stock
    content = (b"sku,num_in_stock\nCF-001,50\nNO-SUCH,3\nCF-002,-4\nTE-001,10\nCF-003,2.5\nCF-001,8\n")
    response = upload(client_a, content)
    errors = response.context["errors"]
    assert errors == [
        "Dòng 3: không có SKU NO-SUCH.",
        "Dòng 4: num_in_stock không được âm: -4.",
        "Dòng 5: SKU TE-001 không phải sản phẩm của bạn.",
        "Dòng 6: num_in_stock phải là số nguyên: “2.5”.",
        "Dòng 7: SKU CF-001 đã có ở dòng 2.",
    ]
    assert record("CF-001").num_in_stock == before


@pytest.mark.parametrize("content, message", [
    ("sku,num_in_stock\nCF-001,5\n".encode("utf-16"), "không phải văn bản UTF-8"),
    (b"sku,quantity\nCF-001,5\n", "Dòng 1: các cột phải là sku, num_in_stock"),
    ("Mã,Tên sản phẩm\nCF-001,Cà phê\n".encode("cp1258", "replace"), "không phải văn bản UTF-8"),
])
def test_a_file_of_the_wrong_kind_gets_one_clear_message(client_a, content, message):
    errors = upload(client_a, content).context["errors"]
    assert len(errors) == 1 and message in errors[0]


def test_a_hundred_thousand_rows_are_refused_without_reading_them_all(client_a, producer_a, monkeypatch):
    body = "sku,num_in_stock\n" + "CF-001,1\n" * 100_000
    read = []
    real = stock_csv._check_rows
    monkeypatch.setattr(stock_csv, "_check_rows", lambda rows, *a: read.append(len(rows)) or real(rows, *a))
    errors = upload(client_a, body.encode()).context["errors"]
    assert errors == ["Tệp có hơn 5000 dòng: tệp tồn kho chỉ có một dòng cho mỗi sản phẩm. Hãy chia nhỏ tệp "
                      "hoặc xoá các dòng không phải của bạn; chưa nhập gì cả."]
    assert read == []  # stopped at the cap, before any row was looked up


def test_saving_the_list_keeps_units_allocated_by_an_order_after_the_page_was_read(client_a, monkeypatch):
    """An order allocates a unit of CF-001 while the producer's post is being validated (the form has
    read the row already): the save changes the price and must not write the old allocation back."""
    from producer_portal.forms import StockQuickForm

    coffee = record("CF-001")
    allocated, price = coffee.num_allocated or 0, coffee.price
    page = client_a.get(reverse("dashboard:producer-stock"))
    validate = StockQuickForm.clean

    def an_order_allocates_meanwhile(form):
        cleaned = validate(form)
        if form.instance.pk == coffee.pk:
            order_of(("CF-001", 1))  # a shopper's order, through the ledger like any other
        return cleaned

    monkeypatch.setattr(StockQuickForm, "clean", an_order_allocates_meanwhile)
    response = client_a.post(reverse("dashboard:producer-stock"),
                             formset_post(page, {"CF-001": {"price": int(coffee.price) + 1000}}))

    assert response.status_code == 302
    coffee.refresh_from_db()
    assert coffee.price == price + 1000
    assert coffee.num_allocated == allocated + 1


def test_a_price_saved_from_an_older_page_keeps_the_units_taken_since(client_a):
    """A parcel is handed over (one unit leaves the shelf) between the producer opening the list and
    saving a new price: the count on the page is now one too many, and writing it back would invent
    a unit (found by make loadtest). Only a count the producer changed is written."""
    from shop.partner import stock

    coffee = record("CF-001")
    shown, price = coffee.num_in_stock, coffee.price
    page = client_a.get(reverse("dashboard:producer-stock"))
    stock.adjust(stockrecord=coffee, delta=-1, actor=None, reason=stock.Reason.WRITTEN_OFF, note="vỡ một hũ")
    response = client_a.post(reverse("dashboard:producer-stock"),
                             formset_post(page, {"CF-001": {"price": int(coffee.price) + 1000}}))
    assert response.status_code == 302
    coffee.refresh_from_db()
    assert (coffee.num_in_stock, coffee.price) == (shown - 1, record("CF-001").price)
    assert coffee.price == price + 1000
    assert stock.audit() == []

    # A count the producer did change is their stocktake, whatever the shelf said meanwhile.
    page = client_a.get(reverse("dashboard:producer-stock"))
    response = client_a.post(reverse("dashboard:producer-stock"), formset_post(page, {"CF-001": {"num_in_stock": 40}}))
    assert response.status_code == 302 and record("CF-001").num_in_stock == 40
