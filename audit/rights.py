"""Who may change who-may-do-what: superusers only, on every path.

"Rights" are: a user's is_staff / is_superuser flags, their groups and their own permissions, a
group's permissions, the users of a producer (Partner.users: a partner user sees and edits that
producer's products and order lines) and the staff of a showroom (ShowroomStaff: cashier or
manager at /pos/). Issue 20 found office staff making themselves a showroom manager through the
showroom's admin inline and attaching any user to a producer through the partner admin.

The admin and dashboard hide these controls from non-superusers (audit.admin, the partner
dashboard's permissions_map), but the rule is enforced HERE, on the models, so a path nobody
thought of (a new inline, a bulk action, a dashboard view) cannot widen rights either: every
save(), delete() and many-to-many change of those records made while a request of a
non-superuser is being served raises RightsChangeRefused (a PermissionDenied: 403, and the
request's transaction is rolled back). Code run outside a request (migrations, `load_demo`,
management commands, the shell, Celery tasks) is the operator's and is not limited.
queryset.update()/bulk_create() bypass model signals: nothing in the shop writes rights that way
(tests/audit/test_rights.py greps for it).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

_NO_REQUEST = object()
_acting_user: ContextVar = ContextVar("ocop_rights_acting_user", default=_NO_REQUEST)

USER_FLAGS = ("is_staff", "is_superuser")
SHOWROOM_STAFF_FIELDS = ("showroom_id", "user_id", "role", "can_discount")


class RightsChangeRefused(PermissionDenied):
    pass


def may_change_rights(user) -> bool:
    """The one rule: only a superuser may change who may do what."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


@contextmanager
def acting_user(user):
    """Whoever the request is served for (set by audit.middleware.RightsActorMiddleware)."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def current_user():
    """The user whose request is being served (AnonymousUser for a visitor), None outside requests."""
    user = _acting_user.get()
    return None if user is _NO_REQUEST else user


def check_may_change_rights(what: str) -> None:
    user = _acting_user.get()
    if user is _NO_REQUEST:  # migrations, commands, tasks: the operator's own
        return
    if not may_change_rights(user):
        raise RightsChangeRefused(
            _("Only a superuser may change who may do what (%(what)s).") % {"what": what})


# --- the receivers -------------------------------------------------------------------------------

def _remember_user_flags(sender, instance, **kwargs):
    # Kept at load so the check on save needs no query (a login saves last_login on every sign-in).
    instance._rights_loaded = None if instance._state.adding else tuple(
        instance.__dict__.get(f) for f in USER_FLAGS)


def _check_user_flags(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not set(update_fields) & set(USER_FLAGS)):
        return
    now = tuple(getattr(instance, f) for f in USER_FLAGS)
    before = getattr(instance, "_rights_loaded", None)
    if before is not None and None in before:  # loaded with .only()/.defer(): ask the database
        before = None
    if before is None and instance.pk is not None and not instance._state.adding:
        before = tuple(type(instance)._base_manager.filter(pk=instance.pk).values_list(*USER_FLAGS).first()
                       or (False, False))
    if before is None:
        before = (False, False)  # a new account: may not be born staff or superuser
    if now != before:
        check_may_change_rights(_("staff or superuser flag"))


def _after_user_save(sender, instance, **kwargs):
    instance._rights_loaded = tuple(getattr(instance, f) for f in USER_FLAGS)


def _check_m2m(what):
    def receiver(sender, instance, action, **kwargs):
        if action in ("pre_add", "pre_remove", "pre_clear"):
            check_may_change_rights(what)
    return receiver


def _remember_staff(sender, instance, **kwargs):
    instance._rights_loaded = None if instance._state.adding else tuple(
        instance.__dict__.get(f) for f in SHOWROOM_STAFF_FIELDS)


def _check_staff_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    now = tuple(getattr(instance, f) for f in SHOWROOM_STAFF_FIELDS)
    if instance._state.adding or getattr(instance, "_rights_loaded", None) != now:
        check_may_change_rights(_("showroom staff"))


def _check_staff_delete(sender, instance, **kwargs):
    check_may_change_rights(_("showroom staff"))


_RECEIVERS = []  # strong references: the receivers are closures


def connect() -> None:
    User = get_user_model()
    Group = apps.get_model("auth", "Group")
    Partner = apps.get_model("partner", "Partner")
    ShowroomStaff = apps.get_model("showrooms", "ShowroomStaff")

    post_init.connect(_remember_user_flags, sender=User, dispatch_uid="rights-user-init")
    pre_save.connect(_check_user_flags, sender=User, dispatch_uid="rights-user-save")
    post_save.connect(_after_user_save, sender=User, dispatch_uid="rights-user-saved")
    for through, what in ((User.groups.through, _("groups")),
                          (User.user_permissions.through, _("user permissions")),
                          (Group.permissions.through, _("group permissions")),
                          (Partner.users.through, _("users of a producer"))):
        receiver = _check_m2m(what)
        _RECEIVERS.append(receiver)
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"rights-m2m-{through._meta.label}")
    post_init.connect(_remember_staff, sender=ShowroomStaff, dispatch_uid="rights-staff-init")
    pre_save.connect(_check_staff_save, sender=ShowroomStaff, dispatch_uid="rights-staff-save")
    pre_delete.connect(_check_staff_delete, sender=ShowroomStaff, dispatch_uid="rights-staff-delete")
