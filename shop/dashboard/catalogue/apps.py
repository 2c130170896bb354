import oscar.apps.dashboard.catalogue.apps as apps

from shop.dashboard.int_pk import int_pk_urls


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = 'shop.dashboard.catalogue'

    def get_urls(self):
        # option and attribute option group pages: <int:pk>, not Oscar's <str:pk>
        return int_pk_urls(super().get_urls())
