"""Local fake Zalo and eSMS servers, the settings pointed at them."""
import pytest

from .fake_esms import FakeEsms
from .fake_zalo import FakeZalo

ZNS_TEMPLATES = {"ORDER_PLACED": "300001", "ORDER_SHIPPED": "300002", "ORDER_READY": "300003",
                 "ORDER_DELIVERED": "300004", "PRODUCER_NEW_ORDER": "300005", "OCOP_CERT_EXPIRY": "300006"}


@pytest.fixture
def fake_zalo(settings):
    from notifications.texts import ZNS_PARAMS

    server = FakeZalo(token="at-first", refresh_token="rt-first", app_id="app-1", app_secret="secret-1",
                      templates={ZNS_TEMPLATES[event]: params for event, params in ZNS_PARAMS.items()}).start()
    settings.ZALO_OA_ACCESS_TOKEN, settings.ZALO_OA_REFRESH_TOKEN = "at-first", "rt-first"
    settings.ZALO_APP_ID, settings.ZALO_APP_SECRET = "app-1", "secret-1"
    settings.ZALO_ZNS_URL, settings.ZALO_OAUTH_URL = server.zns_url, server.oauth_url
    settings.ZALO_ZNS_TEMPLATES = dict(ZNS_TEMPLATES)
    yield server
    server.stop()


@pytest.fixture
def fake_esms(settings):
    server = FakeEsms(api_key="esms-key", secret_key="esms-secret", brandname="OCOPSONLA").start()
    settings.ESMS_API_KEY, settings.ESMS_SECRET_KEY, settings.ESMS_BRANDNAME = "esms-key", "esms-secret", "OCOPSONLA"
    settings.ESMS_URL = server.url
    yield server
    server.stop()
