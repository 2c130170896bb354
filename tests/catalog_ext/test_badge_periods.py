"""Pages read a product's badges from its badge periods (catalog_ext/badge_periods.py): for every
day, those must be what the rule says (valid certificates, newest first; a valid licence in the
GI's area), whatever the history of issues, expiries, revocations and re-ratings."""
import datetime as dt
import io
import random

import pytest
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from catalog_ext import rules
from catalog_ext.badges import with_badges, with_rule_badges
from catalog_ext.models import BadgePeriod, Certificate, GeographicalIndication, GILicence

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
DAYS = 400


def _day(rng) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(DAYS))


def _shown_and_rule(product_ids, on):
    rows = with_rule_badges(with_badges(Product.objects.filter(pk__in=product_ids), on), on).values_list(
        "pk", "badge_stars", "badge_number", "badge_gi_ok", "rule_stars", "rule_number", "rule_gi_ok")
    return {pk: ((stars, number or "", bool(gi)), (r_stars, r_number or "", bool(r_gi)))
            for pk, stars, number, gi, r_stars, r_number, r_gi in rows}


def test_every_day_of_random_histories_shows_what_the_rule_says():
    rng = random.Random(20261206)
    gi = GeographicalIndication.objects.get(slug="ca-phe-son-la")
    inside = gi.area.first().ward_code
    kind = ProductClass.objects.first()
    products = []
    for n in range(25):
        producer = Partner.objects.create(name=f"HTX kiểm thử {n}", ward_code=inside if n % 3 else None)
        product = Product.objects.create(title=f"Sản phẩm {n}", product_class=kind, producer=producer,
                                         gi=gi if n % 2 else None)
        for k in range(rng.randrange(4)):
            issued = _day(rng)
            cert = Certificate(product=product, stars=rng.choice((3, 4, 5)), score=60, level="province",
                               issuer="UBND tỉnh Sơn La", number=f"T-{n}-{k}", issued_on=issued,
                               expires_on=issued + dt.timedelta(days=rng.randrange(1, 300)),
                               potential_five=rng.random() < 0.3)
            if rng.random() < 0.3:
                cert.revoked_on, cert.revoked_reason = issued + dt.timedelta(days=rng.randrange(0, 200)), "kiểm thử"
            cert.save()
        for k in range(rng.randrange(3)):
            issued = _day(rng)
            GILicence.objects.create(gi=gi, producer=producer, number=f"L-{n}-{k}", issued_on=issued,
                                     expires_on=issued + dt.timedelta(days=rng.randrange(1, 300)))
        products.append(product.pk)
    days = [START + dt.timedelta(days=d) for d in range(-1, DAYS + 300, 7)]
    shown_any = set()
    for on in days:
        for pk, (shown, rule) in _shown_and_rule(products, on).items():
            assert shown == rule, f"product {pk} on {on}"
            shown_any.add(shown[0])
    assert {None, 3, 4, 5} <= shown_any  # the histories did exercise every badge


def test_the_badge_changes_at_midnight_without_a_task():
    product = Product.objects.get(stockrecords__partner_sku="MT-001")
    cert = product.ocop_certificates.valid().get()
    periods = list(BadgePeriod.objects.filter(product=product).order_by("starts_on"))
    assert any(p.starts_on <= cert.expires_on and p.ends_on == cert.expires_on for p in periods)
    last_day = with_badges(Product.objects.filter(pk=product.pk), cert.expires_on).get()
    next_day = with_badges(Product.objects.filter(pk=product.pk), cert.expires_on + dt.timedelta(days=1)).get()
    assert (last_day.badge_stars, next_day.badge_stars) == (4, None)


def test_a_new_certificate_a_revocation_and_a_deletion_rebuild_the_periods():
    product = Product.objects.get(stockrecords__partner_sku="DF-005")
    before = with_badges(Product.objects.filter(pk=product.pk)).get().badge_stars
    cert = Certificate.objects.create(product=product, stars=5, score=93, level="central", issuer="Bộ NN&MT",
                                      number="TEST-NEW", issued_on=rules.today())
    assert with_badges(Product.objects.filter(pk=product.pk)).get().badge_stars == 5
    cert.revoke(reason="kiểm thử")
    assert with_badges(Product.objects.filter(pk=product.pk)).get().badge_stars == before
    cert.delete()
    assert with_badges(Product.objects.filter(pk=product.pk)).get().badge_stars == before


def test_badge_audit_passes_and_fails_on_a_changed_period():
    out = io.StringIO()
    call_command("badge_audit", stdout=out)
    assert "match the rule" in out.getvalue()
    period = BadgePeriod.objects.filter(stars=5).first()
    BadgePeriod.objects.filter(pk=period.pk).update(stars=3)
    with pytest.raises(CommandError, match="1 products"):
        call_command("badge_audit", stdout=io.StringIO())
    call_command("badge_audit", "--fix", stdout=io.StringIO())
    assert BadgePeriod.objects.get(product=period.product_id, starts_on=period.starts_on).stars == 5
