"""The basket page's delivery estimate reads the shopper's default delivery address on every
signed-in basket page: `user.addresses.filter(is_default_for_shipping=True).only("province_code",
"state").first()`. The ORM compiled that statement each request (~1,000 Python calls, issue 21);
here the same statement is compiled once per connection (core/prepared.py) and run with the user's
id, and the row's user id is not read again (the ORM's second query, see below). tests/basket/test_owner_reads.py compares it with the ORM's statement and object."""
from django.db import router
from oscar.core.loading import get_model

from core.prepared import Prepared, id_placeholder


def _default_shipping_address_query(shape, user_id):
    """The related manager's filter (the user), then the template tag's, as `.first()` orders and
    slices it (the model's ordering, else the pk)."""
    UserAddress = get_model("address", "UserAddress")
    queryset = (UserAddress._default_manager.filter(user=user_id).filter(is_default_for_shipping=True)
                .only("province_code", "state"))
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


_DEFAULT_SHIPPING_ADDRESS = Prepared(_default_shipping_address_query, name="default_shipping_address",
                                     placeholder=id_placeholder)


def default_shipping_address(user):
    """`user.addresses.filter(is_default_for_shipping=True).only("province_code", "state").first()`:
    the same row and object (only those fields loaded, its `user` the user, as the related manager
    sets it), or None."""
    UserAddress = get_model("address", "UserAddress")
    db = router.db_for_read(UserAddress, instance=user)
    found = _DEFAULT_SHIPPING_ADDRESS.run(None, [user.pk], using=db)
    if not found:
        return None
    address = found[0]
    # The related manager ties each row to its user, reading the row's user_id first: with
    # .only() it was deferred, so the ORM read it in a query of its own (by pk). It is the user's
    # id (the rows were chosen by it): set here, the same object with one query fewer.
    user = user.addresses.instance  # the user, not a lazy wrapper of it
    setattr(address, UserAddress.user.field.attname, user.pk)
    UserAddress.user.field.set_cached_value(address, user)
    return address
