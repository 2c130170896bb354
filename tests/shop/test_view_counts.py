"""Product views are counted in batches: none lost within a process, written at the flush."""
import pytest
from oscar.core.loading import get_model

from shop import view_counts

ProductRecord = get_model("analytics", "ProductRecord")
StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def views_of(product):
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def test_views_are_added_up_and_written_at_the_flush(client, monkeypatch):
    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 3600)
    view_counts.flush()
    product = StockRecord.objects.get(partner_sku="TE-002").product
    before = views_of(product)
    for _ in range(3):
        assert client.get(product.get_absolute_url()).status_code == 200
    assert views_of(product) == before  # not yet: no write per view
    assert view_counts.flush() == 3
    assert views_of(product) == before + 3


def test_a_full_batch_is_written_without_waiting(client, monkeypatch):
    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 3600)
    monkeypatch.setattr(view_counts, "FLUSH_VIEWS", 2)
    view_counts.flush()
    product = StockRecord.objects.get(partner_sku="TE-004").product
    before = views_of(product)
    client.get(product.get_absolute_url())
    client.get(product.get_absolute_url())
    assert views_of(product) == before + 2


def test_oscars_per_view_receiver_is_replaced():
    from oscar.apps.analytics import receivers
    from oscar.apps.catalogue.signals import product_viewed

    live = product_viewed._live_receivers(sender=None)
    live = live[0] if isinstance(live, tuple) else live  # Django 5: (sync, async) receivers
    assert view_counts.receive_product_view in live and receivers.receive_product_view not in live


def test_a_view_from_a_cached_page_counts_with_the_others():
    """The page cache's hit path names the product by the pk in its URL, a string."""
    from django.contrib.auth.models import AnonymousUser

    view_counts.flush()
    product = StockRecord.objects.get(partner_sku="TE-005").product
    before = views_of(product)
    view_counts.receive_product_view(sender=None, product=product, user=AnonymousUser())
    view_counts.receive_product_view(sender=None, product=type(product)(pk=str(product.pk)), user=AnonymousUser())
    assert view_counts.flush() == 2
    assert views_of(product) == before + 2


def test_views_of_a_product_deleted_before_the_flush_are_dropped():
    """A product can be deleted between its view and the flush (a producer removes it, a test rolls
    back): the flush must not write a count for it (SQLite: a dangling row; PostgreSQL: an error)."""
    from django.contrib.auth.models import AnonymousUser

    view_counts.flush()
    product = StockRecord.objects.get(partner_sku="TE-005").product
    ghost = type(product)(pk=10**8)
    view_counts.receive_product_view(sender=None, product=ghost, user=AnonymousUser())
    view_counts.receive_product_view(sender=None, product=product, user=AnonymousUser())
    assert view_counts.flush() == 1
    assert not ProductRecord.objects.filter(product_id=10**8).exists()


def test_basket_and_purchase_counters_are_written_after_the_commit(django_capture_on_commit_callbacks):
    """Held to the end of the request's transaction, the product's analytics row closed a deadlock
    under `make loadtest`: an add to basket held it while its COMMIT waited on a stock row, which an
    order being placed held while it waited on that analytics row. Counted after the commit, the
    row is held for one UPDATE only, and a rolled-back order counts no purchase."""
    from oscar.apps.basket.signals import basket_addition

    from tests.checkout.stock.factories import basket_of, make_product, place

    ProductRecord = get_model("analytics", "ProductRecord")
    product = make_product(title="Mật ong hoa bạc hà Mộc Châu", stock=5)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        basket = basket_of((product, 1))
        basket_addition.send(sender=None, product=product, user=None, request=None)  # as the basket's add view does
        place(basket)
    assert not ProductRecord.objects.filter(product=product).exists()
    for callback in pending:
        callback()
    record = ProductRecord.objects.get(product=product)
    # The purchase is counted after the commit, and written with the views (issue 21: no statement of its own per order).
    assert (record.num_basket_additions, record.num_purchases) == (1, 0)
    view_counts.flush()
    record.refresh_from_db()
    assert (record.num_basket_additions, record.num_purchases) == (1, 1)


def test_purchases_of_several_orders_are_written_in_one_statement_per_product_at_the_flush(
        django_capture_on_commit_callbacks, django_assert_num_queries):
    from tests.checkout.stock.factories import basket_of, make_product, place

    ProductRecord = get_model("analytics", "ProductRecord")
    tea, honey = (make_product(title=title, stock=20) for title in ("Chè Shan tuyết", "Mật ong bạc hà"))
    for lines in (((tea, 2), (honey, 1)), ((tea, 1),), ((honey, 3),)):
        with django_capture_on_commit_callbacks(execute=True):
            place(basket_of(*lines))
    assert not ProductRecord.objects.filter(product__in=[tea, honey]).exclude(num_purchases=0).exists()

    # the products that still exist; then each product's UPDATE (its first purchase: a savepoint and an INSERT)
    with django_assert_num_queries(1 + 2 * 4):
        view_counts.flush()

    assert dict(ProductRecord.objects.filter(product__in=[tea, honey]).values_list("product_id", "num_purchases")) \
        == {tea.pk: 3, honey.pk: 4}


def test_a_customers_views_are_written_at_the_flush_counter_and_history_rows(client, monkeypatch,
                                                                            django_user_model):
    """Oscar wrote the customer's view counter and a history row on every view: five statements on
    each cached product page a customer was served (issue 21)."""
    monkeypatch.setattr(view_counts, "FLUSH_SECONDS", 3600)
    view_counts.flush()
    UserRecord, UserProductView = (get_model("analytics", name) for name in ("UserRecord", "UserProductView"))
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "pw-123456-x")
    client.force_login(user)
    tea, honey = (StockRecord.objects.get(partner_sku=sku).product for sku in ("TE-002", "MT-001"))
    for item in (tea, honey, tea):
        assert client.get(item.get_absolute_url()).status_code == 200
    assert not UserProductView.objects.filter(user=user).exists()  # not yet: no write per view
    view_counts.flush()
    assert UserRecord.objects.get(user=user).num_product_views == 3
    assert sorted(UserProductView.objects.filter(user=user).values_list("product_id", flat=True)) == \
        sorted([tea.pk, honey.pk, tea.pk])
