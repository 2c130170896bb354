from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig


class OcopDashboardConfig(OscarDashboardConfig):
    """The OCOP office in Oscar's dashboard: certificates, GIs and their licences, producers, the
    province's certificate list import. Staff only: producer users (partner dashboard access) see
    their own products elsewhere in the dashboard, never these pages."""

    label = "ocop_dashboard"
    name = "shop.dashboard.ocop"
    verbose_name = _("OCOP office dashboard")

    default_permissions = ["is_staff"]
    permissions_map = {}

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import views

        self.views = views

    def get_urls(self):
        v = self.views
        urls = [
            path("certificates/", v.CertificateListView.as_view(), name="ocop-certificate-list"),
            path("certificates/new/", v.CertificateCreateView.as_view(), name="ocop-certificate-create"),
            path("certificates/expiring/", v.ExpiringCertificatesView.as_view(), name="ocop-certificate-expiring"),
            path("certificates/<int:pk>/", v.CertificateUpdateView.as_view(), name="ocop-certificate-update"),
            path("certificates/<int:pk>/revoke/", v.CertificateRevokeView.as_view(), name="ocop-certificate-revoke"),
            path("certificates/<int:pk>/renew/", v.CertificateRenewView.as_view(), name="ocop-certificate-renew"),
            path("certificates/import/", v.ImportUploadView.as_view(), name="ocop-import"),
            path("certificates/import/<uuid:token>/", v.ImportPreviewView.as_view(), name="ocop-import-preview"),
            path("gis/", v.GIListView.as_view(), name="ocop-gi-list"),
            path("gis/new/", v.GICreateView.as_view(), name="ocop-gi-create"),
            path("gis/<int:pk>/", v.GIUpdateView.as_view(), name="ocop-gi-update"),
            path("licences/", v.LicenceListView.as_view(), name="ocop-licence-list"),
            path("licences/new/", v.LicenceCreateView.as_view(), name="ocop-licence-create"),
            path("licences/<int:pk>/", v.LicenceUpdateView.as_view(), name="ocop-licence-update"),
            path("licences/<int:pk>/revoke/", v.LicenceRevokeView.as_view(), name="ocop-licence-revoke"),
            path("producers/", v.ProducerListView.as_view(), name="ocop-producer-list"),
        ]
        return self.post_process_urls(urls)
