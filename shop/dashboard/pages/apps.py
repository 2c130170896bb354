import oscar.apps.dashboard.pages.apps as apps

from shop.dashboard.int_pk import int_pk_urls


class PagesDashboardConfig(apps.PagesDashboardConfig):
    """Oscar's flat page editor, forked only to route its pages <int:pk> (Oscar: <str:pk>)."""

    name = "shop.dashboard.pages"

    def get_urls(self):
        return int_pk_urls(super().get_urls())
