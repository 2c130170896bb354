import oscar.apps.dashboard.partners.apps as apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    """Oscar's partner dashboard, forked so the partner page also edits the producer profile."""

    name = "shop.dashboard.partners"
