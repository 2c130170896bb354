"""A signed-in user's permissions, kept in the shared cache between requests (issue 21).

Oscar's dashboard asks for a permission on every page (its app configs wrap each view in
`permissions_required`: the producer portal wants `partner.dashboard_access`, the office's pages
`order.view_order` and the like), and the menu asks again for each entry. Django's ModelBackend
answers from two queries (the user's own permissions, their groups' permissions), kept on the user
object: once per request, since every request loads its user afresh. `CachedPermissionsBackend`
answers from the cache instead and hands the same sets to Django's backends (the `_perm_cache`
attributes ModelBackend keeps on the user), so no backend reads them again in that request.

Never stale: every entry is stamped with the *rights version*, a random token in the cache that any
change of who may do what replaces (`rights_changing`), and an entry with another stamp is not
used. A change is

- before it is written (m2m pre_add/pre_remove/pre_clear of a user's groups, a user's own
  permissions, a group's permissions; pre_save/pre_delete of a group or a permission): a new
  version, which must reach the cache, or the change is refused (RightsCacheUnavailable) and
  nothing is written: a cache that cannot be told would later answer with the old rights;
- after its transaction commits: a new version again, so whatever another process cached between
  the two (the old rights, read before the commit) is dropped as well.

A process whose transaction has a rights change not yet committed never stores an entry (it may
read its own uncommitted change, which a rollback would undo). The flags that decide without the
permission tables are read from the user row of each request, as before: an inactive user has no
permission (checked before the cache is asked), and the entry names the is_superuser flag it was
read with. After `migrate` (permissions created or renamed in bulk, without signals) the version is
replaced too. Without a reachable cache (Redis down) every request reads the two queries, as
Django does. With a per-process cache (LocMemCache: SQLite and no REDIS_URL) nothing is kept at
all: a rights change made by another process (a second worker, a management command) could not
reach this one's copy. What remains: Redis unreachable at the very moment of the post-commit replacement,
while another process filled an entry between the two replacements; such an entry ages out after
ENTRY_SECONDS.
"""
from __future__ import annotations

import uuid

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import connection, transaction

from catalog_ext.cache import cache_is_shared

VERSION_KEY = "ocop:rights:version"
ENTRY_SECONDS = 6 * 3600


class RightsCacheUnavailable(RuntimeError):
    """Who may do what cannot change while the permission cache cannot be told about it."""


def _entry_key(user_pk) -> str:
    return f"ocop:rights:user:{user_pk}"


def _new_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def _after_commit():
    _new_version()


def rights_changing(**kwargs) -> None:
    """Before a change of rights is written: a new version (checked: else the change is refused),
    and another once the change's transaction commits. Nothing to tell with a per-process cache."""
    if not cache_is_shared():
        return
    _new_version()
    if cache.get(VERSION_KEY) is None:  # an unreachable Redis: set() was a silent no-op
        raise RightsCacheUnavailable("the permission cache is unreachable: rights cannot change now")
    transaction.on_commit(_after_commit, robust=True)


def _change_pending() -> bool:
    """This connection's transaction holds a rights change not yet committed."""
    return any(func is _after_commit for _sids, func, _robust in connection.run_on_commit)


def _read(user) -> tuple[set, set]:
    """The user's own and their groups' permissions ("app_label.codename"), from the cache when its
    entry carries the current version and the same superuser flag, else from the database (and kept,
    when every process shares the cache)."""
    django = ModelBackend()
    if not cache_is_shared():
        return set(django.get_user_permissions(user)), set(django.get_group_permissions(user))
    key, flags = _entry_key(user.pk), (bool(user.is_superuser),)
    got = cache.get_many([VERSION_KEY, key])
    version, entry = got.get(VERSION_KEY), got.get(key)
    if version is not None and entry is not None and entry[0] == version and entry[1] == flags:
        return set(entry[2]), set(entry[3])
    if version is None:  # a new or emptied cache: start a version (none if another process just did)
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(VERSION_KEY, fresh, timeout=None) else None
    own, of_groups = set(django.get_user_permissions(user)), set(django.get_group_permissions(user))
    if version is not None and not _change_pending():
        cache.set(key, (version, flags, frozenset(own), frozenset(of_groups)), timeout=ENTRY_SECONDS)
    return own, of_groups


class CachedPermissionsBackend(ModelBackend):
    """Permissions only (it signs nobody in): listed before Django's and Oscar's backends, it fills
    the user's permission sets from the cache; theirs then find them on the user and ask nothing."""

    def authenticate(self, request, **credentials):
        return None

    def _fill(self, user_obj) -> None:
        if not hasattr(user_obj, "_perm_cache"):
            own, of_groups = _read(user_obj)
            user_obj._user_perm_cache, user_obj._group_perm_cache = own, of_groups
            user_obj._perm_cache = own | of_groups

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        self._fill(user_obj)
        return user_obj._user_perm_cache

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        self._fill(user_obj)
        return user_obj._group_perm_cache

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        self._fill(user_obj)
        return user_obj._perm_cache


def _m2m_changing(sender, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        rights_changing()


def _after_migrate(**kwargs):
    _new_version()


def connect() -> None:
    """The signals that mean a change of rights (called from the dashboard's AppConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_migrate, pre_delete, pre_save

    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_m2m_changing, sender=through, dispatch_uid=f"rights-cache-{through._meta.label}")
    for model in (Group, Permission):
        pre_save.connect(rights_changing, sender=model, dispatch_uid=f"rights-cache-save-{model._meta.label}")
        pre_delete.connect(rights_changing, sender=model, dispatch_uid=f"rights-cache-delete-{model._meta.label}")
    post_migrate.connect(_after_migrate, dispatch_uid="rights-cache-migrate")
