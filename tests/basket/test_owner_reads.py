"""A signed-in shopper's basket page reads, every request, the shopper's open basket (Oscar's basket
middleware: `Basket.open.get_or_create(owner=user)`), the saved basket ("items to buy later":
`Basket.saved.get(owner=user)`) and the default delivery address (the delivery estimate:
`user.addresses.filter(is_default_for_shipping=True).only(…).first()`). These are read with SQL
compiled once (shop/basket/models.py CompiledOpenBasketManager, shop/basket/reads.py
saved_basket_of, shop/checkout/estimate_reads.py; issue 21): the ORM's statements, the same rows and
objects, the same errors, and the basket page byte for byte what it was, with one query fewer (the
ORM read the address's deferred user id again to tie it to its user)."""
import difflib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from shop.basket import reads
from shop.basket import views as basket_views
from shop.checkout import estimate_reads
from shop.checkout.templatetags import checkout_estimate
from tests.basket.test_compiled_reads import _normalised, _values
from tests.speed.test_query_counts_by_size import _basket_of

pytestmark = pytest.mark.django_db
Basket, Line = get_model("basket", "Basket"), get_model("basket", "Line")
UserAddress, Country = get_model("address", "UserAddress"), get_model("address", "Country")
OscarOpenBasketManager = get_class("basket.managers", "OpenBasketManager")


def _user(name="doc-chu"):
    return get_user_model().objects.create_user(name, f"{name}@example.vn", "pw-123456-x")


def _orms_get_or_create(user):
    """Oscar's OpenBasketManager.get_or_create, the ORM's reading."""
    return OscarOpenBasketManager.get_or_create(Basket.open, owner=user)


def _orms_default_address(user):
    return user.addresses.filter(is_default_for_shipping=True).only("province_code", "state").first()


def _statements(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [query["sql"] for query in queries.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r'"s[0-9a-f]+_x[0-9a-f]+"|\'[^\']*\'|\d+', "#", sql)


def _address(user, default=True, province_code=14, state="Sơn La"):
    country, _ = Country.objects.get_or_create(iso_3166_1_a2="VN", defaults={"name": "Việt Nam"})
    return UserAddress.objects.create(user=user, first_name="Hà", last_name="Nguyễn", line1="12 Tô Hiệu",
                                      line4="Sơn La", state=state, province_code=province_code, country=country,
                                      phone_number="+84912345678", is_default_for_shipping=default)


def test_the_open_basket_is_read_as_get_or_create_reads_it():
    user = _user()
    made = Basket.open.create(owner=user)
    Basket.saved.create(owner=user)  # another status: not this one
    (theirs, created), orm_sql = _statements(lambda: _orms_get_or_create(user))
    assert not created and theirs.pk == made.pk
    for _ in range(2):  # compiled, then from the compiled SQL
        (ours, created), our_sql = _statements(lambda: Basket.open.get_or_create(owner=user))
        assert not created and our_sql == orm_sql and len(our_sql) == 1
        assert type(ours) is Basket and _values(ours) == _values(theirs)
        assert ours._state.db == theirs._state.db and ours._state.adding is False


def test_a_shopper_without_an_open_basket_gets_one_made_as_get_or_create_makes_it():
    ours_user, their_user = _user("moi-1"), _user("moi-2")
    Basket.saved.create(owner=ours_user)
    Basket.saved.create(owner=their_user)
    (theirs, made_theirs), orm_sql = _statements(lambda: _orms_get_or_create(their_user))
    (ours, made_ours), our_sql = _statements(lambda: Basket.open.get_or_create(owner=ours_user))
    assert made_ours and made_theirs
    assert our_sql[0] == orm_sql[0].replace(f"= {their_user.pk}", f"= {ours_user.pk}")  # the read
    # then the same savepoint, insert and release (names, instants and ids aside)
    assert [_shape(sql) for sql in our_sql] == [_shape(sql) for sql in orm_sql] and len(our_sql) > 1
    ours.refresh_from_db()
    assert (ours.status, ours.owner_id) == (Basket.OPEN, ours_user.pk)
    assert list(ours.all_lines()) == [] and Basket.open.get_or_create(owner=ours_user) == (ours, False)


def test_several_open_baskets_raise_as_django_does():
    """Oscar's middleware merges them on MultipleObjectsReturned."""
    user = _user()
    Basket.open.create(owner=user)
    Basket.open.create(owner=user)
    with pytest.raises(Basket.MultipleObjectsReturned):
        Basket.open.get_or_create(owner=user)


def test_other_lookups_are_the_orms():
    user = _user()
    made = Basket.open.create(owner=user)
    theirs, orm_sql = _statements(lambda: OscarOpenBasketManager.get_or_create(Basket.open, owner=user, pk=made.pk))
    ours, our_sql = _statements(lambda: Basket.open.get_or_create(owner=user, pk=made.pk))
    assert ours == theirs == (made, False) and our_sql == orm_sql and f"= {made.pk}" in our_sql[0]


def test_the_saved_basket_is_read_as_get_reads_it():
    user = _user()
    Basket.open.create(owner=user)
    with pytest.raises(Basket.DoesNotExist) as none_theirs:
        Basket.saved.get(owner=user)
    with pytest.raises(Basket.DoesNotExist) as none_ours:
        reads.saved_basket_of(user)
    assert str(none_ours.value) == str(none_theirs.value)
    saved = Basket.saved.create(owner=user)
    theirs, orm_sql = _statements(lambda: Basket.saved.get(owner=user))
    for _ in range(2):
        ours, our_sql = _statements(lambda: reads.saved_basket_of(user))
        assert our_sql == orm_sql and ours.pk == saved.pk and _values(ours) == _values(theirs)
        assert "owner" not in ours._state.fields_cache  # as the ORM's: the owner not attached
    Basket.saved.create(owner=user)
    with pytest.raises(Basket.MultipleObjectsReturned):
        reads.saved_basket_of(user)


@pytest.mark.parametrize("has_default", [True, False])
def test_the_default_address_is_read_as_the_orm_reads_it(has_default):
    user = _user()
    _address(user, default=False, province_code=1, state="Hà Nội")
    if has_default:
        _address(user, default=True)
    user = get_user_model().objects.get(pk=user.pk)
    theirs, orm_sql = _statements(lambda: _orms_default_address(user))
    for _ in range(2):
        ours, our_sql = _statements(lambda: estimate_reads.default_shipping_address(user))
        assert our_sql == orm_sql[:1]
        if not has_default:
            assert ours is None and theirs is None
            continue
        assert type(ours) is type(theirs) and ours.pk == theirs.pk
        assert ours.get_deferred_fields() == theirs.get_deferred_fields()
        assert (ours.province_code, ours.state) == (theirs.province_code, theirs.state) == (14, "Sơn La")
        assert ours.user is user and theirs.user is user and ours.user_id == theirs.user_id == user.pk
        # the ORM read the deferred user_id again, by pk, to tie the row to its user: one query more
        assert len(orm_sql) == 2 and orm_sql[1].endswith(f'"id" = {theirs.pk} LIMIT 21')


def _orms_reads(monkeypatch):
    """The ORM's readings put back."""
    monkeypatch.setattr(type(Basket.open), "get_or_create", OscarOpenBasketManager.get_or_create)
    monkeypatch.setattr(basket_views, "saved_basket_of", lambda user: Basket.saved.get(owner=user))
    monkeypatch.setattr(checkout_estimate, "default_shipping_address", _orms_default_address)


def _page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return _normalised(response.content.decode()), len(queries.captured_queries)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("lines", [1, 10])
def test_the_signed_in_basket_page_is_the_same(monkeypatch, language, lines):
    """With a saved line ("items to buy later") and a default delivery address: the same page, one
    query fewer."""
    user = _user()
    _address(user)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(user)
    _basket_of(client, lines + 1)
    line = Basket.open.get(owner=user).lines.order_by("pk").first()
    saved = Basket.saved.create(owner=user)
    Line.objects.filter(pk=line.pk).update(basket=saved)
    _page(client)  # the messages waiting (the lines added) are drawn once, on the first page
    ours, our_queries = _page(client)
    with monkeypatch.context() as patched:
        _orms_reads(patched)
        theirs, their_queries = _page(client)
    diff = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), lineterm="", n=1)
    assert ours == theirs, "\n".join(list(diff)[:40])
    assert our_queries == their_queries - 1  # the address's user id, not read again (see above)
    assert line.product.get_title() in ours and "Sơn La" in ours or "14" in ours
