import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from django.urls import include, path


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so that its sub-apps (shop/dashboard/*) can be forked too, and so that
    our own dashboard apps are mounted the way Oscar mounts its sub-apps."""

    name = "shop.dashboard"

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        super().ready()
        from . import permission_cache

        permission_cache.connect()  # a change of rights replaces the cached permissions' version
        self.ocop_app = django_apps.get_app_config("ocop_dashboard")
        self.producer_app = django_apps.get_app_config("producer_portal")
        self.settlement_app = django_apps.get_app_config("settlement_dashboard")

    def get_urls(self):
        urls = super().get_urls()
        urls.append(path("ocop/", include(self.ocop_app.urls[0])))
        urls.append(path("producer/", include(self.producer_app.urls[0])))
        urls.append(path("settlement/", include(self.settlement_app.urls[0])))
        return urls
