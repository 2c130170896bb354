"""The one "in season" rule (catalog_ext.season): harvest months, wrapping the new year."""
import pytest
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from catalog_ext import season

Product = get_model("catalogue", "Product")


@pytest.mark.parametrize("months, month, expected", [
    ("5,6,7", 5, True), ("5,6,7", 6, True), ("5,6,7", 7, True), ("5,6,7", 8, False),
    ("1,11,12", 1, True), ("1,11,12", 12, True), ("1,11,12", 2, False), ("", 5, False), ("1", 11, False),
])
def test_is_in_season(months, month, expected):
    assert season.is_in_season(months, month) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("month, titles", [(1, {"a", "c"}), (11, {"b", "c"}), (12, {"c"}), (2, set())])
def test_the_query_matches_the_rule(month, titles):
    klass = get_model("catalogue", "ProductClass").objects.first()
    for title, months in (("a", "1"), ("b", "11"), ("c", "12, 1,11")):
        Product.objects.create(title=title, product_class=klass, season_months=months)
    found = set(Product.objects.filter(season.in_season_q(month), title__in=["a", "b", "c"])
                .values_list("title", flat=True))
    assert found == titles
    assert all(p.is_in_season(month) == (p.title in titles) for p in Product.objects.filter(title__in=["a", "b", "c"]))


def test_months_are_validated_and_stored_sorted():
    assert season.normalise(" 12, 1,11,1") == "1,11,12"
    for bad in ("13", "0", "may", "5;6"):
        with pytest.raises(ValidationError):
            season.validate_months(bad)
