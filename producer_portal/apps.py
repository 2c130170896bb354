from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig


class ProducerPortalConfig(OscarDashboardConfig):
    """The producer's own corner of Oscar's dashboard (/dashboard/producer/): their orders to fulfil,
    stock and prices, CSV import/export, notices. Every page is scoped to the partners the signed-in
    user belongs to (scoping.py); another producer's object is a 404."""

    label = "producer_portal"
    name = "producer_portal"
    verbose_name = _("Producer portal")
    default_auto_field = "django.db.models.BigAutoField"

    default_permissions = ["partner.dashboard_access"]
    permissions_map = {}

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import money, views, waybill_views

        self.views = views
        self.money = money
        self.waybill_views = waybill_views

    def get_urls(self):
        v, m = self.views, self.money
        urls = [
            path("money/", m.MoneyView.as_view(), name="producer-money"),
            path("money/statement.csv", m.StatementCsvView.as_view(), name="producer-statement-csv"),
            path("money/statement.pdf", m.StatementPdfView.as_view(), name="producer-statement-pdf"),
            path("money/account/", m.BankAccountView.as_view(), name="producer-bank-account"),
            path("", v.HomeView.as_view(), name="producer-home"),
            path("notices/", v.NoticeListView.as_view(), name="producer-notices"),
            path("messages/", v.ContactPreferenceView.as_view(), name="producer-messages"),
            path("orders/", v.OrderListView.as_view(), name="producer-orders"),
            path("orders/<str:number>/", v.OrderDetailView.as_view(), name="producer-order"),
            path("orders/<str:number>/waybill/", self.waybill_views.WaybillCreateView.as_view(),
                 name="producer-waybill-create"),
            path("orders/<str:number>/waybill/label/", self.waybill_views.WaybillLabelView.as_view(),
                 name="producer-waybill-label"),
            path("orders/<str:number>/waybill/cancel/", self.waybill_views.WaybillCancelView.as_view(),
                 name="producer-waybill-cancel"),
            path("products/", v.ProductListView.as_view(), name="producer-products"),
            path("products/<int:pk>/", v.ProductEditView.as_view(), name="producer-product"),
            path("profile/", v.ProfileView.as_view(), name="producer-profile"),
            path("stock/", v.StockListView.as_view(), name="producer-stock"),
            path("stock/<int:pk>/", v.StockRecordUpdateView.as_view(), name="producer-stock-edit"),
            path("stock/export.csv", v.StockExportView.as_view(), name="producer-stock-export"),
            path("stock/import/", v.StockImportView.as_view(), name="producer-stock-import"),
            path("stock/import/<uuid:token>/", v.StockImportPreviewView.as_view(), name="producer-stock-import-preview"),
        ]
        return self.post_process_urls(urls)
