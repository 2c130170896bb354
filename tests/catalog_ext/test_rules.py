"""The OCOP rules: star bands, 36-month validity, and the two forms of "valid on a day" agreeing."""
import datetime as dt
import itertools

import pytest

from catalog_ext import rules
from catalog_ext.models import Certificate

D = dt.date


@pytest.mark.parametrize("score, stars", [(0, None), (49, None), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)])
def test_score_band_gives_the_star_class(score, stars):
    assert rules.stars_for_score(score) == stars


@pytest.mark.parametrize("issued, expiry", [
    (D(2024, 3, 15), D(2027, 3, 14)),
    (D(2024, 2, 29), D(2027, 2, 27)),  # 36 months on is 28 Feb 2027; valid through the day before
    (D(2023, 1, 1), D(2025, 12, 31)),
])
def test_a_certificate_is_valid_36_months(issued, expiry):
    assert rules.default_expiry(issued) == expiry


DAYS = [D(2024, 1, 1), D(2024, 6, 1), D(2025, 1, 1), D(2026, 1, 1)]


@pytest.mark.django_db
def test_database_and_python_forms_of_validity_agree():
    """Every combination of issue, expiry and revocation: valid() in SQL == status_on() in Python."""
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.filter(ocop_certificates__isnull=True).first()
    combos = itertools.product(DAYS, [None, *DAYS], [None, *DAYS])
    made = []
    for n, (issued, expires, revoked) in enumerate(combos):
        made.append(Certificate.objects.create(
            product=product, stars=3, score=60, number=f"TEST-AGREE-{n}", issuer="UBND tỉnh Sơn La",
            level="province", issued_on=issued, expires_on=expires or D(2099, 1, 1), revoked_on=revoked,
            revoked_reason="test" if revoked else ""))
    for on in [D(2023, 12, 31), *DAYS, D(2030, 1, 1)]:
        in_sql = set(Certificate.objects.filter(pk__in=[c.pk for c in made]).valid(on).values_list("pk", flat=True))
        in_python = {c.pk for c in made if c.status_on(on) == "active"}
        assert in_sql == in_python, on
