from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig


class SettlementDashboardConfig(OscarDashboardConfig):
    """The OCOP office pays producers: commission rules, payout runs (VietQR per transfer, the
    bank's bulk CSV, marking paid) and the period report. Staff only."""

    label = "settlement_dashboard"
    name = "shop.dashboard.settlement"
    verbose_name = _("Producer payouts")

    default_permissions = ["is_staff"]
    permissions_map = {}

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import views

        self.views = views

    def get_urls(self):
        v = self.views
        urls = [
            path("payouts/", v.RunListView.as_view(), name="settlement-runs"),
            path("payouts/<int:pk>/", v.RunDetailView.as_view(), name="settlement-run"),
            path("payouts/<int:pk>/transfers.csv", v.RunCsvView.as_view(), name="settlement-run-csv"),
            path("payouts/pay/<int:pk>/", v.MarkPaidView.as_view(), name="settlement-pay"),
            path("commission/", v.CommissionView.as_view(), name="settlement-commission"),
            path("report/", v.ReportView.as_view(), name="settlement-report"),
        ]
        return self.post_process_urls(urls)
