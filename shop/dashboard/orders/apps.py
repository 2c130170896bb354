import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, forked so OCOP office staff can record a bank transfer or a COD delivery."""

    name = "shop.dashboard.orders"
