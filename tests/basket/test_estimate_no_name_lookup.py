"""The basket page's delivery estimate prices three province-only addresses (shop/shipping/methods.py
DeliveryEstimate); the one for "anywhere further" has no province and no written name. Looking an
empty name up among the 34 provinces (accents folded, ~1,000 Python calls a basket page) can only
answer None: it is not asked (issue 21). The zones are the same as before."""
from types import SimpleNamespace

from shop.shipping import zones


def test_no_name_is_not_looked_up(monkeypatch):
    def refuse(name):
        raise AssertionError(f"looked up {name!r}")

    monkeypatch.setattr(zones, "province_code_by_name", refuse)
    for address in (SimpleNamespace(province_code=None), SimpleNamespace(province_code=None, state=""),
                    SimpleNamespace(province_code=None, state=None)):
        assert zones.zone_for_address(address) == zones.NATIONAL


def test_written_names_still_give_their_zone():
    assert zones.zone_for_address(SimpleNamespace(province_code=None, state="Sơn La")) == zones.LOCAL
    assert zones.zone_for_address(SimpleNamespace(province_code=None, state="tinh son la")) == zones.LOCAL
    assert zones.zone_for_address(SimpleNamespace(province_code=None, state="TP Hà Nội")) == zones.NORTH
    assert zones.zone_for_address(SimpleNamespace(province_code=None, state="Nowhere")) == zones.NATIONAL
    assert zones.zone_for_address(SimpleNamespace(province_code=zones.SON_LA, state="Hà Nội")) == zones.LOCAL
    assert zones.zone_for_address(None) == zones.NATIONAL
