"""Admin pieces for who-may-do-what: the controls are shown to superusers only (the models refuse
everyone else anyway: audit.rights)."""
from __future__ import annotations

from .rights import may_change_rights


class SuperuserOnlyRights:
    """For an admin or inline whose rows ARE rights (showroom staff): others may only look."""

    def has_add_permission(self, request, *args):  # ModelAdmin: (request); inline: (request, obj)
        return may_change_rights(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return may_change_rights(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_change_rights(request.user) and super().has_delete_permission(request, obj)


class RightsFieldsReadOnly:
    """For an admin with some fields that are rights (a producer's users): read-only to others."""

    rights_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if may_change_rights(request.user):
            return fields
        return fields + tuple(f for f in self.rights_fields if f not in fields)
