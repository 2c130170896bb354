"""The Vietnamese address form: province → ward/commune, a real Vietnamese phone, no postcode."""
import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from core import places
from shop.checkout.forms import ShippingAddressForm

from .helpers import ADDRESS, HANOI, HANOI_WARD, TO_HIEU

pytestmark = pytest.mark.django_db

UserAddress = get_model("address", "UserAddress")
UserAddressForm = __import__("shop.address.forms", fromlist=["UserAddressForm"]).UserAddressForm


def test_a_ward_of_the_chosen_province_is_accepted_and_mapped_onto_oscars_fields():
    form = ShippingAddressForm(data=ADDRESS)

    assert form.is_valid(), form.errors
    address = form.instance
    assert (address.first_name, address.last_name) == ("Nguyễn Thu", "Hà")
    assert address.name == "Nguyễn Thu Hà"  # Oscar prints first_name then last_name: Vietnamese order
    assert (address.line1, address.line4, address.state) == ("12 đường Tô Hiệu", "Phường Tô Hiệu", "Sơn La")
    assert (address.province_code, address.ward_code) == (14, TO_HIEU)
    assert address.postcode == ""
    assert address.country.iso_3166_1_a2 == "VN"


def test_a_ward_of_another_province_is_refused():
    form = ShippingAddressForm(data={**ADDRESS, "ward": str(HANOI_WARD)})

    assert not form.is_valid()
    assert form.errors["ward"] == ["Phường/xã này không thuộc tỉnh đã chọn."]


def test_after_changing_province_without_javascript_the_ward_list_is_the_new_provinces():
    form = ShippingAddressForm(data={**ADDRESS, "province": str(HANOI)})

    assert not form.is_valid()
    html = str(form["ward"])
    assert f'value="{HANOI_WARD}"' in html and f'value="{TO_HIEU}"' not in html


def test_sơn_la_comes_first_and_all_34_provinces_are_offered():
    form = ShippingAddressForm()

    choices = form.fields["province"].choices
    assert len(choices) == 34
    assert choices[0] == (14, "Sơn La")
    assert form.initial["province"] == 14
    assert "Phường Tô Hiệu" in str(form["ward"])


@pytest.mark.parametrize("phone, message", [
    ("0912abc678", "Số điện thoại không hợp lệ."),  # phonenumbers alone would read letters as digits
    ("09123", "Số điện thoại không hợp lệ."),
    ("xin chào", "Số điện thoại không hợp lệ."),
    ("+1 202 555 0143", "Số điện thoại không hợp lệ."),  # a real number, but not Vietnamese
    ("", "Trường này là bắt buộc."),
    ("0" * 40, "Giá trị này chỉ có tối đa 32 kí tự (hiện có 40)"),
])
def test_a_phone_that_is_not_vietnamese_is_refused_with_a_clear_message(phone, message):
    form = ShippingAddressForm(data={**ADDRESS, "phone_number": phone})

    assert not form.is_valid()
    assert form.errors["phone_number"] == [message]


@pytest.mark.parametrize("phone", ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"])
def test_a_mobile_number_in_any_usual_spelling_is_stored_normalised(phone):
    form = ShippingAddressForm(data={**ADDRESS, "phone_number": phone})

    assert form.is_valid(), form.errors
    assert str(form.instance.phone_number) == "+84912345678"


def test_a_landline_is_accepted():
    form = ShippingAddressForm(data={**ADDRESS, "phone_number": "0212 385 2001"})

    assert form.is_valid(), form.errors
    assert str(form.instance.phone_number) == "+842123852001"


@pytest.mark.parametrize("changes, field, message", [
    ({"province": "99"}, "province", "Hãy chọn tỉnh/thành phố trong danh sách."),
    ({"province": "abc"}, "province", "Hãy chọn tỉnh/thành phố trong danh sách."),
    ({"ward": "999999"}, "ward", "Hãy chọn phường/xã trong danh sách."),
    ({"ward": "99999999999999999999999"}, "ward", "Hãy chọn phường/xã trong danh sách."),
    ({"ward": "phường 1"}, "ward", "Hãy chọn phường/xã trong danh sách."),
    ({"full_name": "   "}, "full_name", "Trường này là bắt buộc."),
    ({"line1": "x" * 5000}, "line1", None),
])
def test_garbage_gets_a_clear_message(changes, field, message):
    form = ShippingAddressForm(data={**ADDRESS, **changes})

    assert not form.is_valid()
    assert field in form.errors
    if message:
        assert form.errors[field] == [message]


def test_the_address_book_uses_the_same_form_and_stores_codes_and_the_normalised_phone():
    user = get_user_model().objects.create_user(username="so-dia-chi", email="so.dia.chi@example.vn", password="x")
    form = UserAddressForm(user, data=ADDRESS)

    assert form.is_valid(), form.errors
    form.save()

    saved = UserAddress.objects.get(user=user)
    assert saved.phone_number.as_e164 == "+84912345678"
    assert (saved.province_code, saved.ward_code, saved.line4, saved.state) == (14, TO_HIEU, "Phường Tô Hiệu", "Sơn La")
    assert saved.postcode == ""
    edit = UserAddressForm(user, instance=saved)
    assert edit.initial["full_name"] == "Nguyễn Thu Hà"
    assert edit.initial["ward"] == TO_HIEU


def test_wards_endpoint_lists_the_provinces_wards(client):
    response = client.get("/checkout/wards/?province=14")

    assert response.status_code == 200
    wards = response.json()
    assert len(wards) == 75
    assert {"code": TO_HIEU, "name": "Phường Tô Hiệu"} in wards
    assert [w["code"] for w in client.get(f"/checkout/wards/?province={HANOI}").json()] == \
        [code for code, _ in places.wards(HANOI)]


@pytest.mark.parametrize("query, status", [("", 400), ("?province=abc", 400), ("?province=99", 404),
                                           ("?province=" + "9" * 100, 400), ("?province=-1", 400)])
def test_wards_endpoint_answers_bad_codes_with_a_clear_error(client, query, status):
    response = client.get(f"/checkout/wards/{query}")

    assert response.status_code == status
    assert response.json()["error"]


def test_the_account_address_book_page_shows_the_vietnamese_form(client, django_user_model):
    user = django_user_model.objects.create_user(username="so-dia-chi-2", email="sdc2@example.vn", password="pw-123456")
    client.force_login(user)

    page = client.get("/accounts/addresses/add/").content.decode()
    response = client.post("/accounts/addresses/add/", ADDRESS)

    assert "Họ và tên" in page and "data-ocop-ward" in page and "ocop-address.js" in page
    assert response.status_code == 302
    assert UserAddress.objects.get(user=user).ward_code == TO_HIEU
