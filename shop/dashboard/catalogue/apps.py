import oscar.apps.dashboard.catalogue.apps as apps
from django.urls import URLPattern, path


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = 'shop.dashboard.catalogue'

    def get_urls(self):
        # Oscar routes option and attribute option group pages as <str:pk>; a pk that is no number
        # (/option/abc/update/) then raised ValueError in the lookup, a 500. Their pks are integers.
        return [path(str(p.pattern).replace("<str:pk>", "<int:pk>"), p.callback, p.default_args, p.name)
                if isinstance(p, URLPattern) and "<str:pk>" in str(p.pattern) else p
                for p in super().get_urls()]
