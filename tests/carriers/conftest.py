"""The fake GHN and GHTK servers, the shop configured for one of them, and Sơn La's wards mapped."""
import pytest
from vietnam_provinces import Province, Ward

from carriers.models import CarrierArea

from . import fake_ghn, fake_ghtk

GHN_WEBHOOK_SECRET = "ghn-hook-secret-7d1e"
GHTK_WEBHOOK_SECRET = "ghtk-hook-secret-3c9a"


@pytest.fixture
def no_carrier(settings):
    settings.GHN_TOKEN = settings.GHN_SHOP_ID = settings.GHTK_TOKEN = ""
    settings.CARRIER_DEFAULT = ""
    return settings


@pytest.fixture
def ghn(no_carrier, monkeypatch):
    """GHN on the fake server, the shop's default carrier."""
    server = fake_ghn.FakeGHN().start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    no_carrier.GHN_TOKEN, no_carrier.GHN_SHOP_ID = fake_ghn.TOKEN, fake_ghn.SHOP_ID
    no_carrier.GHN_BASE_URL = server.base_url
    no_carrier.GHN_WEBHOOK_SECRET = GHN_WEBHOOK_SECRET
    no_carrier.CARRIER_DEFAULT = "ghn"
    yield server
    server.stop()


@pytest.fixture
def ghtk(no_carrier, monkeypatch):
    server = fake_ghtk.FakeGHTK().start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    no_carrier.GHTK_TOKEN, no_carrier.GHTK_PARTNER_CODE = fake_ghtk.TOKEN, fake_ghtk.PARTNER_CODE
    no_carrier.GHTK_BASE_URL = server.base_url
    no_carrier.GHTK_WEBHOOK_SECRET = GHTK_WEBHOOK_SECRET
    no_carrier.CARRIER_DEFAULT = "ghtk"
    yield server
    server.stop()


@pytest.fixture
def mapped(db):
    """Every Sơn La and Hà Nội ward in GHN's codes (the fake's Tô Hiệu and Ba Đình) and GHTK's names."""
    rows = []
    for province in (14, 1):
        name = Province.from_code(province).name
        for ward in Ward.iter_by_province(province):
            district, code = ("2003", "280101") if province == 14 else ("1485", "1A0101")
            rows.append(CarrierArea(carrier="ghn", province_code=str(province), ward_code=str(ward.code.value),
                                    carrier_province=str(province), carrier_district=district, carrier_ward=code))
            rows.append(CarrierArea(carrier="ghtk", province_code=str(province), ward_code=str(ward.code.value),
                                    carrier_province=name, carrier_district="Thành phố Sơn La" if province == 14
                                    else "Quận Ba Đình", carrier_ward=ward.name))
    CarrierArea.objects.bulk_create(rows)


@pytest.fixture(autouse=True)
def fresh_quotes():
    """Quotes (and remembered failures) are cached: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
