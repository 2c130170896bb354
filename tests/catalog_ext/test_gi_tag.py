"""A product carries a GI tag only while its producer holds a valid licence and is in the GI's area."""
import datetime as dt

import pytest
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import badges_for, with_badges
from catalog_ext.models import GeographicalIndication, GILicence
from core.places import ward_code

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


def demo_product(sku):
    return StockRecord.objects.select_related("product").get(partner_sku=sku).product


def test_licensed_producer_in_the_area_shows_the_tag():
    badges = badges_for(demo_product("CF-001"))
    assert (badges.gi_slug, badges.gi_name) == ("ca-phe-son-la", "Cà phê Sơn La")


def test_tag_goes_when_the_licence_expires_or_is_revoked():
    product = demo_product("FR-001")
    licence = GILicence.objects.get(gi__slug="xoai-tron-yen-chau", producer=product.producer)
    licence.expires_on = rules.today() - dt.timedelta(days=1)
    licence.save()
    assert badges_for(product).gi_slug == ""
    licence.expires_on, licence.revoked_on, licence.revoked_reason = None, rules.today(), "kiểm thử"
    licence.save()
    assert badges_for(product).gi_slug == ""


def test_no_licence_no_tag_even_when_the_product_claims_the_gi():
    product = demo_product("CF-005")  # same GI area, but this product does not claim it yet
    product.gi = GeographicalIndication.objects.get(slug="xoai-tron-yen-chau")
    product.save()
    assert badges_for(product).gi_slug == ""


def test_producer_outside_the_area_gets_no_tag():
    product = demo_product("TE-001")
    producer = product.producer
    producer.ward_code = ward_code("Xã Sốp Cộp")  # moved out of Mộc Châu
    producer.save()
    assert badges_for(product).gi_slug == ""


def test_listing_annotation_costs_no_extra_queries(django_assert_num_queries):
    with django_assert_num_queries(1):
        products = list(with_badges(Product.objects.select_related("gi")))
        stars = [badges_for(p).stars for p in products]
    assert stars.count(5) == 1 and len(products) >= 40
