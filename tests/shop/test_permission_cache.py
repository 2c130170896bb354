"""A user's permissions come from the cache on the dashboard's pages (issue 21), and a change of who
may do what takes effect on the very next request (shop/dashboard/permission_cache.py).

Before: every producer and office page read the user's permissions and their groups' permissions
(two queries) on every request. The tests marked "old code" fail without the cache."""
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.dashboard import permission_cache
from shop.staff_roles import office_group
from tests.producer_portal.conftest import A_EMAIL

pytestmark = pytest.mark.django_db
User = get_user_model()
PRODUCER_PAGES = ["dashboard:producer-home", "dashboard:producer-orders", "dashboard:producer-stock"]
OFFICE_PAGES = ["dashboard:order-list", "dashboard:index"]


def permission_reads(client, url) -> tuple[int, int]:
    """(status, the queries of one request that read the permission tables)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, sum('"auth_permission"' in q["sql"] for q in captured.captured_queries)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_committed():
    """What the commit of the test's transaction would do (it never commits): the version replaced
    after the change, and no change left pending on the connection."""
    pending = [entry for entry in connection.run_on_commit if entry[1] is permission_cache._after_commit]
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry not in pending]
    for _sids, callback, _robust in pending:
        callback()


@pytest.fixture(autouse=True)
def fresh_version(monkeypatch):
    cache.delete(permission_cache.VERSION_KEY)  # no entry of another test applies
    # As with Redis: one cache for every process (the suite's SQLite runs have a per-process one).
    monkeypatch.setattr(permission_cache, "cache_is_shared", lambda: True)


@pytest.fixture
def producer():
    return User.objects.get(email=A_EMAIL)


@pytest.fixture
def clerk():
    user = User.objects.create_user("cache-clerk", "cache.clerk@ocop.test", "x", is_staff=True)
    user.groups.add(office_group())
    as_committed()
    return user


DASHBOARD_ACCESS = {"codename": "dashboard_access", "content_type__app_label": "partner"}


@pytest.mark.parametrize("name", PRODUCER_PAGES)
def test_a_producer_page_reads_the_permissions_once_then_asks_the_cache(producer, name):  # old code: 2 each time
    client, url = signed_in(producer), reverse(name)
    assert permission_reads(client, url) == (200, 2)
    assert permission_reads(client, url) == (200, 0)
    assert permission_reads(client, url) == (200, 0)


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_an_office_page_reads_the_permissions_once_then_asks_the_cache(clerk, name):  # old code: 2 each time
    client, url = signed_in(clerk), reverse(name)
    assert permission_reads(client, url) == (200, 2)
    assert permission_reads(client, url) == (200, 0)


def test_a_revoked_permission_is_refused_on_the_next_request(producer):
    client, url = signed_in(producer), reverse("dashboard:producer-home")
    client.get(url)
    assert permission_reads(client, url) == (200, 0)  # served from the cache
    producer.user_permissions.remove(Permission.objects.get(**DASHBOARD_ACCESS))
    as_committed()
    assert client.get(url).status_code == 403
    assert client.get(url).status_code == 403  # (the refusal, now cached)


def test_a_revoked_permission_is_refused_before_its_transaction_commits_too(producer):
    # (the test's transaction never commits: the version replaced before the write is enough)
    client, url = signed_in(producer), reverse("dashboard:producer-home")
    client.get(url)
    producer.user_permissions.clear()
    assert client.get(url).status_code == 403
    assert client.get(url).status_code == 403


def test_a_granted_permission_is_served_on_the_next_request():
    user = User.objects.create_user("cache-newcomer", "cache.newcomer@ocop.test", "x")
    client, url = signed_in(user), reverse("dashboard:producer-home")
    assert client.get(url).status_code in (302, 403)
    assert client.get(url).status_code in (302, 403)  # the refusal is cached …
    user.user_permissions.add(Permission.objects.get(**DASHBOARD_ACCESS))
    as_committed()
    assert client.get(url).status_code != 403  # … and no longer used


@pytest.mark.parametrize("how", ["user's groups", "group's users", "group's permissions", "group deleted",
                                 "groups cleared"])
def test_an_office_clerk_loses_the_page_as_soon_as_the_group_or_its_rights_change(clerk, how):
    client, url = signed_in(clerk), reverse("dashboard:order-list")
    client.get(url)
    assert permission_reads(client, url) == (200, 0)
    group = Group.objects.get(name="OCOP office")
    if how == "user's groups":
        clerk.groups.remove(group)
    elif how == "group's users":
        group.user_set.remove(clerk)
    elif how == "group's permissions":
        group.permissions.remove(Permission.objects.get(codename="view_order", content_type__app_label="order"))
    elif how == "group deleted":
        group.delete()
    else:
        clerk.groups.clear()
    as_committed()
    assert client.get(url).status_code == 403


def test_a_deactivated_user_is_not_served_from_the_cache(producer):
    client, url = signed_in(producer), reverse("dashboard:producer-home")
    client.get(url)
    User.objects.filter(pk=producer.pk).update(is_active=False)  # no signal: the flag is read each request
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_entry_read_as_superuser_is_not_used_once_the_flag_is_gone():
    user = User.objects.create_user("cache-was-super", "cache.was.super@ocop.test", "x", is_staff=True)
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()
    backend = permission_cache.CachedPermissionsBackend()
    assert "order.view_order" in backend.get_all_permissions(user)  # every permission, and cached
    User.objects.filter(pk=user.pk).update(is_superuser=False)  # no signal
    user = User.objects.get(pk=user.pk)
    assert backend.get_all_permissions(user) == set()


def test_a_rights_change_is_refused_while_the_cache_cannot_be_told(producer):
    permission = Permission.objects.get(**DASHBOARD_ACCESS)
    with mock.patch.object(permission_cache.cache, "get", return_value=None):  # Redis unreachable
        with pytest.raises(permission_cache.RightsCacheUnavailable), transaction.atomic():
            producer.user_permissions.remove(permission)
    assert producer.user_permissions.filter(pk=permission.pk).exists()  # nothing written


def test_nothing_is_kept_while_this_transaction_holds_an_uncommitted_change(producer):
    backend = permission_cache.CachedPermissionsBackend()
    producer.user_permissions.remove(Permission.objects.get(**DASHBOARD_ACCESS))  # pending: a rollback undoes it
    assert "partner.dashboard_access" not in backend.get_all_permissions(User.objects.get(pk=producer.pk))
    entry = cache.get(permission_cache._entry_key(producer.pk))
    assert entry is None or entry[0] != cache.get(permission_cache.VERSION_KEY)


def test_the_backend_signs_nobody_in(producer):
    assert permission_cache.CachedPermissionsBackend().authenticate(None, username=producer.username,
                                                                     password="whatever") is None


def test_with_a_per_process_cache_nothing_is_kept(producer, monkeypatch):
    """SQLite without Redis: each process has its own local-memory cache, so a group change made by
    another process (a second worker, a management command) could never reach this one's entry.
    The permissions are read on every request, as Django does, and no rights change is refused."""
    monkeypatch.setattr(permission_cache, "cache_is_shared", lambda: False)
    cache.delete(permission_cache._entry_key(producer.pk))  # an earlier test's, in this process
    client = signed_in(producer)
    url = reverse("dashboard:producer-home")
    assert permission_reads(client, url) == (200, 2)
    assert permission_reads(client, url) == (200, 2)
    assert cache.get(permission_cache._entry_key(producer.pk)) is None
    with mock.patch.object(permission_cache.cache, "get", return_value=None):  # the cache says nothing
        # not refused: there is no shared copy to tell
        producer.user_permissions.remove(Permission.objects.get(**DASHBOARD_ACCESS))
    assert client.get(url).status_code == 403
