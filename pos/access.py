"""Who may work which counter: a showroom's staff see their own showroom only."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from showrooms.models import ShowroomStaff

SESSION_KEY = "pos_showroom_id"


def staff_roles(user):
    return ShowroomStaff.objects.filter(user=user, showroom__is_active=True).select_related("showroom__partner")


def counter_for(request) -> ShowroomStaff:
    """The staff role of the signed-in user at the showroom they work now (the one chosen in the
    session, else their first). PermissionDenied when they work at none."""
    roles = list(staff_roles(request.user)) if request.user.is_authenticated else []
    if not roles:
        raise PermissionDenied(_("You are not on the staff of any showroom."))
    chosen = request.session.get(SESSION_KEY)
    return next((r for r in roles if r.showroom_id == chosen), roles[0])
