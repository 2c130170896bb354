import oscar.apps.dashboard.partners.apps as apps

# A producer's users are rights (audit.rights): linking, unlinking, creating or editing them from
# the partner dashboard is for superusers only, whatever model permissions a group grants.
SUPERUSER_ONLY = ["is_staff", "is_superuser"]


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    """Oscar's partner dashboard, forked so the partner page also edits the producer profile."""

    name = "shop.dashboard.partners"

    def configure_permissions(self):
        super().configure_permissions()
        for name in ("partner-user-create", "partner-user-select", "partner-user-link",
                     "partner-user-unlink", "partner-user-update"):
            self.permissions_map[name] = SUPERUSER_ONLY
