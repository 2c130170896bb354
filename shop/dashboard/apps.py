import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so that its sub-apps (shop/dashboard/*) can be forked too."""

    name = "shop.dashboard"
