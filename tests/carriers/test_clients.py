"""Each adapter against its carrier's fake: exactly what is sent (headers, body), what is read back,
and every failure (5xx, timeout, refused, unreachable) as a CarrierError."""
import pytest

from carriers.base import CarrierError, CarrierStatus, Contact, Item, Place, WaybillRequest
from carriers.ghn import GHN
from carriers.ghtk import GHTK

from . import fake_ghn, fake_ghtk


@pytest.fixture
def ghn_server():
    server = fake_ghn.FakeGHN().start()
    yield server
    server.stop()


@pytest.fixture
def ghtk_server():
    server = fake_ghtk.FakeGHTK().start()
    yield server
    server.stop()


def ghn_client(server, token=fake_ghn.TOKEN):
    return GHN(token=token, shop_id=fake_ghn.SHOP_ID, base_url=server.base_url)


def ghtk_client(server, token=fake_ghtk.TOKEN):
    return GHTK(token=token, partner_code=fake_ghtk.PARTNER_CODE, base_url=server.base_url)


SON_LA_GHN = Place(province="208", district="2003", ward="280101", street="12 Tô Hiệu")
HA_NOI_GHN = Place(province="201", district="1485", ward="1A0101", street="5 Kim Mã")
SON_LA_GHTK = Place(province="Sơn La", district="Thành phố Sơn La", ward="Phường Tô Hiệu", street="12 Tô Hiệu")
HA_NOI_GHTK = Place(province="Hà Nội", district="Quận Ba Đình", ward="Phường Ba Đình", street="5 Kim Mã")


def request(sender: Place, recipient: Place, **extra) -> WaybillRequest:
    return WaybillRequest(
        client_code="100042-7", sender=Contact(name="HTX Cà phê Chiềng Mai", phone="0912000111", place=sender),
        recipient=Contact(name="Nguyễn Thu Hà", phone="0912345678", place=recipient),
        items=(Item(name="Cà phê Arabica 500g", quantity=2, weight_grams=500, code="CF-001"),),
        weight_grams=1000, cod_amount=370000, value=340000, **extra)


def test_ghn_fee_sends_token_shopid_and_the_documented_body(ghn_server):
    fee = ghn_client(ghn_server).quote(sender=SON_LA_GHN, recipient=HA_NOI_GHN, weight_grams=1200, value=340000,
                                       express=False, timeout=2)

    assert fee == fake_ghn.fee_for(1200, False) == 32000
    [sent] = ghn_server.calls("/v2/shipping-order/fee")
    assert (sent.method, sent.headers["token"], sent.headers["shopid"]) == ("POST", fake_ghn.TOKEN, fake_ghn.SHOP_ID)
    assert sent.body == {"from_district_id": 2003, "from_ward_code": "280101", "to_district_id": 1485,
                         "to_ward_code": "1A0101", "service_type_id": 2, "weight": 1200, "insurance_value": 340000,
                         "length": 30, "width": 20, "height": 15}


def test_ghn_create_detail_cancel_and_label(ghn_server):
    client = ghn_client(ghn_server)

    waybill = client.create(request(SON_LA_GHN, HA_NOI_GHN, allow_inspection=True), timeout=2)
    tracking = client.detail(waybill.code, timeout=2)
    content, kind = client.label(waybill.code, timeout=2)
    client.cancel(waybill.code, timeout=2)

    [sent] = ghn_server.calls("/v2/shipping-order/create")
    assert sent.body["client_order_code"] == "100042-7" and sent.body["cod_amount"] == 370000
    assert sent.body["required_note"] == "CHOXEMHANGKHONGTHU" and sent.body["payment_type_id"] == 1
    assert sent.body["items"] == [{"name": "Cà phê Arabica 500g", "code": "CF-001", "quantity": 2, "weight": 500}]
    assert (waybill.status, waybill.fee) == (CarrierStatus.READY, fake_ghn.fee_for(1000, False))
    assert (tracking.status, tracking.carrier_status, tracking.cod_amount) == (CarrierStatus.READY, "ready_to_pick",
                                                                               370000)
    assert kind.startswith("text/html") and waybill.code.encode() in content
    assert ghn_server.orders[waybill.code]["status"] == "cancel"


def test_ghn_refuses_to_cancel_a_parcel_picked_up(ghn_server):
    client = ghn_client(ghn_server)
    waybill = client.create(request(SON_LA_GHN, HA_NOI_GHN), timeout=2)
    ghn_server.set_status(waybill.code, "picked")

    with pytest.raises(CarrierError) as error:
        client.cancel(waybill.code, timeout=2)
    assert not error.value.retryable
    assert client.detail(waybill.code, timeout=2).status == CarrierStatus.PICKED_UP


def test_ghn_duplicate_client_code_is_refused(ghn_server):
    client = ghn_client(ghn_server)
    client.create(request(SON_LA_GHN, HA_NOI_GHN), timeout=2)
    with pytest.raises(CarrierError, match="đã tồn tại"):
        client.create(request(SON_LA_GHN, HA_NOI_GHN), timeout=2)


def test_ghtk_fee_create_status_cancel_label(ghtk_server):
    client = ghtk_client(ghtk_server)

    fee = client.quote(sender=SON_LA_GHTK, recipient=HA_NOI_GHTK, weight_grams=1000, value=340000, express=True,
                       timeout=2)
    waybill = client.create(request(SON_LA_GHTK, HA_NOI_GHTK), timeout=2)
    tracking = client.detail(waybill.code, timeout=2)
    pdf, kind = client.label(waybill.code, timeout=2)
    client.cancel(waybill.code, timeout=2)

    [quoted] = ghtk_server.calls("/services/shipment/fee")
    assert (quoted.headers["token"], quoted.headers["x-client-source"]) == (fake_ghtk.TOKEN, fake_ghtk.PARTNER_CODE)
    assert quoted.query == {"pick_province": "Sơn La", "pick_district": "Thành phố Sơn La",
                            "pick_ward": "Phường Tô Hiệu", "province": "Hà Nội", "district": "Quận Ba Đình",
                            "ward": "Phường Ba Đình", "address": "5 Kim Mã", "weight": "1000", "value": "340000",
                            "transport": "fly", "deliver_option": "none"}
    assert fee == fake_ghtk.fee_for(1000, True)
    [created] = ghtk_server.calls("/services/shipment/order/")
    assert created.body["order"]["id"] == "100042-7" and created.body["order"]["pick_money"] == 370000
    assert created.body["products"] == [{"name": "Cà phê Arabica 500g", "weight": 0.5, "quantity": 2,
                                         "product_code": "CF-001"}]
    assert waybill.code.startswith("S1.A1.") and waybill.status == CarrierStatus.READY
    assert (tracking.status, tracking.cod_amount) == (CarrierStatus.READY, 370000)
    assert (kind, pdf[:5]) == ("application/pdf", b"%PDF-")
    assert ghtk_server.orders[waybill.code]["status"] == "-1"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_carrier_errors(ghn_server, ghtk_server, status):
    ghn_server.fail(status)
    ghtk_server.fail(status)
    with pytest.raises(CarrierError):
        ghn_client(ghn_server).quote(sender=SON_LA_GHN, recipient=HA_NOI_GHN, weight_grams=500, value=0,
                                     express=False, timeout=2)
    with pytest.raises(CarrierError):
        ghtk_client(ghtk_server).detail("S1.A1.1", timeout=2)


def test_a_slow_carrier_is_a_timeout(ghn_server):
    ghn_server.delay = 1.0
    with pytest.raises(CarrierError, match="timeout"):
        ghn_client(ghn_server).detail("GHN1", timeout=0.2)


def test_a_wrong_token_is_refused_and_not_retryable(ghn_server, ghtk_server):
    with pytest.raises(CarrierError) as ghn_error:
        ghn_client(ghn_server, token="wrong").quote(sender=SON_LA_GHN, recipient=HA_NOI_GHN, weight_grams=500,
                                                    value=0, express=False, timeout=2)
    with pytest.raises(CarrierError) as ghtk_error:
        ghtk_client(ghtk_server, token="wrong").quote(sender=SON_LA_GHTK, recipient=HA_NOI_GHTK, weight_grams=500,
                                                      value=0, express=False, timeout=2)
    assert not ghn_error.value.retryable and not ghtk_error.value.retryable


def test_an_unreachable_carrier_is_a_carrier_error(ghn_server):
    client = ghn_client(ghn_server)
    ghn_server.stop()
    with pytest.raises(CarrierError):
        client.detail("GHN1", timeout=1)


def test_status_words_map_to_the_shops_statuses():
    assert [GHN(token="", shop_id="", base_url="").map_status(s) for s in
            ("picked", "delivered", "returned", "cancel", "delivery_fail", "what")] == [
        CarrierStatus.PICKED_UP, CarrierStatus.DELIVERED, CarrierStatus.RETURNED, CarrierStatus.CANCELLED,
        CarrierStatus.FAILED_ATTEMPT, ""]
    assert [GHTK(token="", partner_code="", base_url="").map_status(s) for s in ("3", "5", "6", "21", "-1", "45")] == [
        CarrierStatus.PICKED_UP, CarrierStatus.DELIVERED, CarrierStatus.DELIVERED, CarrierStatus.RETURNED,
        CarrierStatus.CANCELLED, CarrierStatus.PICKED_UP]
