"""Showroom shelves: the strategy that picks a stock record, transfers from producers (producer
notified), stocktakes, and the storefront's "on the shelf at" list."""
import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from listing.filters import in_stock_q
from pos import stock
from pos.errors import PosError
from shop.partner import stock as ledger

from .factories import make_producer, make_product, make_showroom, make_staff, stock_shelf

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")
pytestmark = pytest.mark.django_db


def test_the_web_sells_from_the_producer_and_the_counter_from_its_shelf():
    producer = make_producer()
    tea = make_product(producer, stock_level=5)
    showroom = make_showroom()
    shelf = stock_shelf(showroom, tea, 5)  # every unit went to the showroom
    web = Selector().strategy().fetch_for_product(tea)
    assert web.stockrecord.partner == producer and not web.availability.is_available_to_buy
    counter = Selector().strategy(showroom=showroom).fetch_for_product(tea)
    assert counter.stockrecord == shelf and counter.availability.is_available_to_buy
    assert not Product.objects.filter(in_stock_q(), pk=tea.pk).exists()  # listings agree with the strategy
    elsewhere = make_showroom()
    assert Selector().strategy(showroom=elsewhere).fetch_for_product(tea).stockrecord is None


def test_a_transfer_moves_units_from_producer_to_shelf_and_tells_the_producer(django_capture_on_commit_callbacks):
    producer = make_producer(email="htx.mocchau@example.vn")
    tea = make_product(producer, stock_level=30)
    showroom = make_showroom()
    manager = make_staff(showroom, role="manager")
    with django_capture_on_commit_callbacks(execute=True):
        made = stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(tea, 12)], user=manager,
                              reference="PX-001")
    assert StockRecord.objects.get(partner=producer, product=tea).num_in_stock == 18
    assert StockRecord.objects.get(partner=showroom.partner, product=tea).num_in_stock == 12
    assert [(line.product, line.quantity) for line in made.lines.all()] == [(tea, 12)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["htx.mocchau@example.vn"]
    assert showroom.name in mail.outbox[0].subject and "12" in mail.outbox[0].body
    with pytest.raises(PosError):  # the same delivery note twice
        stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(tea, 1)], reference="PX-001")


def test_a_transfer_cannot_take_more_than_the_producer_has_free_nor_another_producers_goods():
    producer = make_producer()
    tea = make_product(producer, stock_level=5)
    other = make_product(make_producer())
    showroom = make_showroom()
    with pytest.raises(PosError, match="5"):
        stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(tea, 6)])
    with pytest.raises(PosError):
        stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(other, 1)])
    assert StockRecord.objects.get(partner=producer, product=tea).num_in_stock == 5
    assert not StockRecord.objects.filter(partner=showroom.partner_id or -1).exists()


def test_a_stocktake_sets_the_count_and_keeps_the_reason():
    producer = make_producer()
    tea = make_product(producer)
    showroom = make_showroom()
    shelf = stock_shelf(showroom, tea, 10)
    with pytest.raises(PosError):
        stock.stocktake(showroom=showroom, product=tea, counted=8, reason="")
    line = stock.stocktake(showroom=showroom, product=tea, counted=8, reason="Vỡ 2 hộp")
    assert (line.before, line.counted) == (10, 8)
    assert StockRecord.objects.get(pk=shelf.pk).num_in_stock == 8
    with pytest.raises(PosError):
        stock.stocktake(showroom=showroom, product=make_product(producer), counted=1, reason="x")


def test_managers_record_transfers_and_stocktakes_on_the_shelf_page_cashiers_cannot(client):
    producer = make_producer()
    tea = make_product(producer, stock_level=20)
    showroom = make_showroom()
    client.force_login(make_staff(showroom))
    assert client.post(reverse("pos:shelf"), {"action": "transfer", "lines": f"{tea.upc} 4"}).status_code == 403
    client.force_login(make_staff(showroom, role="manager"))
    honey = make_product(producer, title="Mật ong", stock_level=20)
    bad = client.post(reverse("pos:shelf"), {"action": "transfer", "lines": f"{tea.upc}\n"}, follow=True)
    assert "barcode" in bad.content.decode() or "mã vạch" in bad.content.decode()
    client.post(reverse("pos:shelf"), {"action": "transfer", "lines": f"{tea.upc} 4\n\n{honey.upc} 2\n",
                                       "reference": "PX-9"})
    client.post(reverse("pos:shelf"), {"action": "stocktake", "code": tea.upc, "quantity": "3", "reason": "Mất 1"})
    page = client.get(reverse("pos:shelf")).content.decode()
    assert tea.title in page and "PX-9" in page and "Mất 1" in page
    showroom.refresh_from_db()
    assert StockRecord.objects.get(partner=showroom.partner, product=tea).num_in_stock == 3
    transfer = showroom.transfers_in.get()
    assert sorted((line.product.title, line.quantity) for line in transfer.lines.all()) == sorted(
        [(tea.title, 4), (honey.title, 2)])


def test_the_product_page_lists_the_showrooms_with_it_on_the_shelf(client):
    record = StockRecord.objects.filter(partner__showroom__slug="demo-moc-chau").select_related("product").first()
    page = client.get(record.product.get_absolute_url()).content.decode()
    assert "Điểm OCOP Mộc Châu" in page
    assert "Điểm OCOP Yên Châu" not in page  # no shelf there


def test_every_shelf_stock_change_retires_the_cached_product_page(django_capture_on_commit_callbacks):
    """Transfers, stocktakes and returns write stock with UPDATE: the product page's stock and its
    'on the shelf at' list are cached (listing.page_cache) under the catalogue version and the
    product's stock version (catalog_ext.cache.read_versions), so each must bump one of them."""
    from catalog_ext.cache import read_versions

    producer = make_producer()
    tea = make_product(producer, stock_level=30)
    showroom = make_showroom()
    before = read_versions(tea.pk)
    stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(tea, 5)], notify_producer=False)
    after_transfer = read_versions(tea.pk)
    assert after_transfer != before
    stock.stocktake(showroom=showroom, product=tea, counted=4, reason="một hộp vỡ")
    after_stocktake = read_versions(tea.pk)
    assert after_stocktake != after_transfer
    ledger.adjust(stockrecord=stock.shelf_record(showroom, tea), delta=1, actor=None, reason=ledger.Reason.RECEIVED)
    assert read_versions(tea.pk) != after_stocktake


def test_the_producer_also_finds_the_transfer_among_their_notices(django_capture_on_commit_callbacks):
    from notifications.models import Kind, Notification

    producer = make_producer(email="htx.mocchau@example.vn")
    tea = make_product(producer, stock_level=30)
    showroom = make_showroom()
    with django_capture_on_commit_callbacks(execute=True):
        made = stock.transfer(producer=producer, showroom=showroom, items=[stock.Item(tea, 7)], reference="PX-9")
    notice = Notification.objects.get(partner=producer, kind=Kind.SHELF_TRANSFER)
    assert notice.status == "sent" and notice.payload["showroom"] == showroom.name
    assert notice.payload["lines"] == [{"title": tea.title, "quantity": 7}]
    assert notice.dedupe_key == f"shelf_transfer:{made.pk}"
