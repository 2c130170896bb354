import oscar.apps.dashboard.orders.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, forked so OCOP office staff can record a bank transfer, what happened at
    the door, and answer returns (with their own list, /dashboard/orders/returns/)."""

    name = "shop.dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        self.permissions_map["order-returns"] = (DashboardPermission.get("order", "view_order"),)

    def get_urls(self):
        from .views import ReturnListView

        urls = [path("returns/", ReturnListView.as_view(), name="order-returns")]
        return self.post_process_urls(urls) + super().get_urls()
