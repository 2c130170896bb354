"""Certificates: the validation messages an office clerk sees, and history kept on re-rating."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import badges_for
from catalog_ext.models import Certificate, GILicence

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def demo_product(sku):
    return StockRecord.objects.select_related("product").get(partner_sku=sku).product


def certificate(**overrides):
    fields = {"product": demo_product("DF-005"), "stars": 3, "score": 60, "number": "TEST-1",
              "issuer": "UBND tỉnh Sơn La", "level": "province", "issued_on": dt.date(2025, 1, 10)}
    fields.update(overrides)
    return Certificate(**fields)


def errors_of(cert):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            cert.full_clean()
        return {field: " ".join(str(m) for m in messages) for field, messages in caught.value.message_dict.items()}


def test_expiry_defaults_to_36_months_after_issue():
    cert = certificate()
    cert.full_clean()
    cert.save()
    assert cert.expires_on == dt.date(2028, 1, 9)


def test_stars_must_match_the_score_band():
    assert "4★ needs a score from 70 to 89; 95 points gives 5★" in errors_of(certificate(stars=4, score=95))["stars"]
    assert "below 50" in errors_of(certificate(stars=3, score=40))["stars"]


def test_five_stars_only_from_the_central_council():
    assert "central council" in errors_of(certificate(stars=5, score=92, level="province"))["level"]
    assert "province council" in errors_of(certificate(stars=4, score=80, level="central"))["level"]


def test_expiry_after_issue_and_revocation_needs_a_reason():
    errors = errors_of(certificate(expires_on=dt.date(2024, 1, 1), revoked_on=dt.date(2025, 2, 1)))
    assert "after the issue date" in errors["expires_on"]
    assert "why" in errors["revoked_reason"]


def test_number_unique_per_issuer_with_a_clear_message():
    certificate(number="TEST-DUP").save()
    assert "already issued certificate TEST-DUP" in errors_of(certificate(number="TEST-DUP"))["number"]
    certificate(number="TEST-DUP", issuer="Bộ Nông nghiệp và Môi trường", stars=5, score=95,
                level="central").full_clean()  # another issuer may use the same number


def test_parts_must_add_up_and_potential_five_only_for_four_stars():
    errors = errors_of(certificate(score_a=20, score_b=20, score_c=10, potential_five=True))
    assert "add up to 50, not 60" in errors["score"]
    assert "Only a 4★ product" in errors["potential_five"]


def test_rerating_keeps_the_old_certificate_and_the_newest_valid_is_the_badge():
    product = demo_product("TE-001")  # demo: a 3★ from 2021 on record, then 4★
    history = list(product.ocop_certificates.order_by("issued_on").values_list("stars", flat=True))
    assert history[0] == 3 and history[-1] == 4
    assert badges_for(product).stars == 4
    newer = certificate(product=product, stars=5, score=93, level="central", issuer="Bộ Nông nghiệp và Môi trường",
                        number="TEST-UP", issued_on=rules.today())
    newer.full_clean()
    newer.save()
    assert badges_for(product).stars == 5
    assert product.ocop_certificates.count() == len(history) + 1


def test_revocation_and_expiry_take_the_badge_down_at_once():
    product = demo_product("CF-001")
    assert badges_for(product).stars == 5
    current = product.ocop_certificates.valid().first()
    current.revoke(reason="Vi phạm chất lượng (kiểm thử)")
    assert badges_for(product).stars is None
    assert current.status == "revoked"
    # expired: the day after expires_on the badge is gone, without any task running
    other = demo_product("MT-001")
    cert = other.ocop_certificates.valid().get()
    assert badges_for(other, on=cert.expires_on).stars == 4
    assert badges_for(other, on=cert.expires_on + dt.timedelta(days=1)).stars is None


def test_demo_lapsed_and_revoked_products_show_no_badge():
    assert badges_for(demo_product("RC-001")).stars is None
    assert badges_for(demo_product("DR-003")).stars is None
    assert demo_product("DR-003").ocop_certificates.get().status == "revoked"


def test_demo_certificates_are_visibly_fictitious():
    assert Certificate.objects.exists()
    assert not Certificate.objects.exclude(number__startswith="DEMO-").exclude(number__startswith="TEST-").exists()
    assert not GILicence.objects.exclude(number__startswith="DEMO-").exists()


def test_messages_are_vietnamese_by_default():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            certificate(stars=5, score=92, level="province").full_clean()
        assert "Chỉ Hội đồng Trung ương đánh giá sản phẩm 5★." in [str(m) for m in caught.value.message_dict["level"]]
