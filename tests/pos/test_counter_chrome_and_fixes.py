"""Issue 19 at the counter: its own sign-in page, sign-out that closes nothing silently, the close
form that keeps every count on a refusal, return receipts that say what came back, name search
that ranks a product's own title above its producer's name, and the completed-sale panel."""
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pos.models import PosSale, Shift

from .factories import make_producer, make_product, make_showroom, make_staff, stock_shelf

pytestmark = pytest.mark.django_db
PASSWORD = "x-secret-pos-1"  # tests/pos/factories.make_staff


def test_the_counter_sends_a_stranger_to_its_own_sign_in_page_not_the_shops(client):
    response = client.get(reverse("pos:counter"))
    assert response.status_code == 302
    assert response.url == reverse("pos:login") + "?next=/pos/"
    page = client.get(response.url).content.decode()
    assert "Đăng nhập quầy" in page and 'action="/pos/login/"' in page
    assert "register" not in page.lower() and "Đăng ký" not in page  # no sign-up form beside it


def test_showroom_staff_sign_in_at_the_counter_and_land_on_it(client):
    cashier = make_staff(make_showroom())
    response = client.post(reverse("pos:login"), {"username": cashier.email, "password": PASSWORD,
                                                  "next": "/pos/shelf/"})
    assert response.status_code == 302 and response.url == "/pos/shelf/"
    assert client.get(reverse("pos:counter")).status_code == 200
    # a next= outside the counter is not followed
    client.logout()
    away = client.post(reverse("pos:login"), {"username": cashier.email, "password": PASSWORD,
                                              "next": "https://evil.example/"})
    assert away.url == reverse("pos:counter")


def test_a_customer_account_is_told_plainly_and_not_signed_in(client):
    get_user_model().objects.create_user("pos-test-shopper-1", "shopper1@example.vn", PASSWORD)
    response = client.post(reverse("pos:login"), {"username": "shopper1@example.vn", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200
    assert "không thuộc nhân viên của điểm bán nào" in page
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("pos:login"), {"username": "shopper1@example.vn", "password": "wrong-one"})
    assert "không khớp" in wrong.content.decode()


def test_a_customer_already_signed_in_on_the_shop_sees_why_the_counter_is_closed_to_them(client):
    client.force_login(get_user_model().objects.create_user("pos-test-shopper-2", "shopper2@example.vn", PASSWORD))
    response = client.get(reverse("pos:counter"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "shopper2@example.vn" in page and "không thuộc nhân viên của điểm bán nào" in page
    assert reverse("pos:logout") in page


def test_sign_out_is_in_the_counters_bar_and_only_a_post(counter):
    page = counter.client.get(reverse("pos:counter")).content.decode()
    assert f'action="{reverse("pos:logout")}"' in page and 'id="sign-out"' in page
    assert counter.client.get(reverse("pos:logout")).status_code == 405


def test_signing_out_with_the_shift_open_asks_first_and_never_closes_it(counter):
    ask = counter.client.post(reverse("pos:logout"))
    page = ask.content.decode()
    assert ask.status_code == 200 and "Ca của bạn vẫn đang mở" in page
    assert "500.000 ₫" in page and reverse("pos:shift-close") in page
    assert "_auth_user_id" in counter.client.session  # still signed in
    gone = counter.client.post(reverse("pos:logout"), {"leave_open": "1"}, follow=True)
    assert gone.redirect_chain[-1][0] == reverse("pos:login")
    assert "vẫn đang mở" in gone.content.decode()
    assert "_auth_user_id" not in counter.client.session
    assert Shift.objects.get(pk=counter.shift.pk).is_open


def test_signing_out_without_an_open_shift_signs_out_at_once(client):
    cashier = make_staff(make_showroom())
    client.force_login(cashier)
    response = client.post(reverse("pos:logout"), follow=True)
    assert response.redirect_chain == [(reverse("pos:login"), 302)]
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_close_refused_for_want_of_a_note_keeps_every_count(counter):
    counts = {"n500000": "1", "n100000": "1", "n20000": "2", "n1000": "7"}  # 647.000, 500.000 expected
    response = counter.client.post(reverse("pos:shift-close"), counts)
    page = response.content.decode()
    assert response.status_code == 200
    assert "147.000 ₫" in page and 'id="close-error"' in page
    for name, value in counts.items():
        assert f'name="{name}" value="{value}"' in page, name
    assert 'name="n50000" value=""' in page
    assert Shift.objects.get(pk=counter.shift.pk).is_open
    noted = counter.client.post(reverse("pos:shift-close"), {**counts, "n500000": "99999999", "note": "Đếm lại"})
    assert 'name="n500000" value="99999999"' in noted.content.decode()
    assert "Đếm lại</textarea>" in noted.content.decode()


def test_the_receipt_of_a_return_lists_what_came_back(counter):
    counter.scan(counter.tea.upc, quantity=2)
    counter.scan(counter.honey.upc)
    number = counter.complete(cash_tendered=500000).json()["sale"]["number"]
    sale = PosSale.objects.get(order__number=number)
    tea = sale.order.lines.get(product=counter.tea)
    counter.client.post(reverse("pos:return", kwargs={"number": number}), {f"q{tea.pk}": "1", "reason": "Hộp bị móp"})
    page = counter.client.get(reverse("pos:receipt", kwargs={"number": number})).content.decode()
    returned = page[page.index('class="receipt-lines receipt-return"'):]
    returned = returned[:returned.index("</table>")]
    assert counter.tea.title in returned and counter.honey.title not in returned
    assert "Khách trả lại" in returned and "Trả lại 1" in returned and "−150.000 ₫" in returned and "Hộp bị móp" in returned


@pytest.fixture
def honey_producer_product(counter):
    """A product of a producer whose name holds "mật ong": "mat ong" matches it by the producer."""
    bees = make_producer(name="HTX Mật ong Bản Áng")
    tea = make_product(bees, title="Bột tam thất", price=Decimal(90000))  # sorts before "Mật ong"
    stock_shelf(counter.showroom, tea, 5)
    return tea


def test_name_search_ranks_the_products_own_title_above_its_producers_name(counter, honey_producer_product):
    found = counter.client.get(reverse("pos:api-search"), {"q": "mat ong"}).json()["results"]
    assert [p["title"] for p in found] == [counter.honey.title, honey_producer_product.title]
    # Enter on the words adds the product so named, not the one whose producer is so named
    assert [line["title"] for line in counter.scan("mat ong").json()["cart"]["lines"]] == [counter.honey.title]


def test_an_exact_barcode_or_shelf_sku_comes_first(counter, honey_producer_product):
    from oscar.core.loading import get_model

    record = get_model("partner", "StockRecord").objects.get(partner=counter.showroom.partner,
                                                           product=honey_producer_product)
    found = counter.client.get(reverse("pos:api-search"), {"q": record.partner_sku}).json()["results"]
    assert found[0]["title"] == honey_producer_product.title
    assert counter.scan(record.partner_sku).json()["cart"]["lines"][0]["title"] == honey_producer_product.title


def test_the_counter_has_the_completed_sale_panel_and_the_sale_answers_what_it_shows(counter):
    page = counter.client.get(reverse("pos:counter")).content.decode()
    for part in ('id="done"', 'id="done-change"', 'id="receipt-link"', 'id="new-sale"', "Bán hàng mới", "In hóa đơn"):
        assert part in page, part
    counter.scan(counter.tea.upc)
    sale = counter.complete(cash_tendered=200000).json()["sale"]
    assert (sale["change_display"], sale["tendered_display"], sale["total_display"]) == ("50.000 ₫", "200.000 ₫",
                                                                                        "150.000 ₫")
