import oscar.apps.dashboard.offers.apps as apps


class OffersDashboardConfig(apps.OffersDashboardConfig):
    """Oscar's offer pages, forked for two bad posts that were 500s (views.py, forms.py)."""

    name = "shop.dashboard.offers"
