"""The signed-in pages' bench: one aligned row per page with its verdict against 30 ms, and a run
that leaves the database as it found it (it writes users, orders and a stock save inside one
transaction it rolls back, so a shared seeded database stays read-only)."""
import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from bench import signed_in

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def test_the_table_gives_each_page_its_queries_times_and_verdict():
    results = {"pages": [
        {"page": "basket (10 lines)", "queries": 22, "n": 40, "load": 1.2, "p50_ms": 21.0, "p95_ms": 28.5},
        {"page": "producer: home", "queries": 13, "n": 30, "load": 1.3, "p50_ms": 25.0, "p95_ms": 41.0},
        {"page": "office: orders", "queries": 8, "n": 12, "load": 1.3, "p50_ms": 45.0, "p95_ms": 60.0},
        {"page": "checkout: preview", "error": "RuntimeError: HTTP 500"},
    ]}
    table = signed_in.format_table(results).splitlines()
    assert len(table) == 6 and len({line.index("|") for line in table if "|" in line}) == 1
    assert table[2].endswith("| met") and "28.5 ms" in table[2]
    assert table[3].endswith("| p50 met") and table[4].endswith("| NOT met")
    assert table[5].endswith("RuntimeError: HTTP 500")


@pytest.mark.django_db
def test_a_run_measures_every_page_and_leaves_nothing_behind(settings):
    from tests.speed.counting import products_of

    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    coffee = Partner.objects.get(code="chieng-mai-coffee")
    products_of(coffee, 12)
    prices = dict(StockRecord.objects.filter(partner=coffee).values_list("pk", "price"))
    orders, users = Order.objects.count(), get_user_model().objects.count()

    results = signed_in.child(0, min_requests=1)

    assert results["producer"] == "chieng-mai-coffee"
    failed = {page["page"]: page["error"] for page in results["pages"] if "error" in page}
    assert not failed
    assert len(results["pages"]) == 15 and all(page["queries"] > 0 for page in results["pages"])
    assert (Order.objects.count(), get_user_model().objects.count()) == (orders, users)
    assert dict(StockRecord.objects.filter(partner=coffee).values_list("pk", "price")) == prices
