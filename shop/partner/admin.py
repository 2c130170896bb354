from django.contrib import admin
from oscar.apps.partner.admin import *  # noqa: F403
from oscar.apps.partner.admin import PartnerAdmin as OscarPartnerAdmin

from audit.admin import RightsFieldsReadOnly

Partner = get_model("partner", "Partner")  # noqa: F405


class PartnerAdmin(RightsFieldsReadOnly, OscarPartnerAdmin):
    """A producer's users see and edit its products and order lines: who they are is a right,
    changed by superusers only (issue 20: office staff attached any user to a producer here)."""

    rights_fields = ("users",)


admin.site.unregister(Partner)
admin.site.register(Partner, PartnerAdmin)
