from django.urls import path
from oscar.apps.search import apps


class SearchConfig(apps.SearchConfig):
    name = 'shop.search'

    def get_urls(self):
        from .views import suggest

        # Oscar's search page, plus the search box's autocomplete.
        return super().get_urls() + self.post_process_urls([path("suggest/", suggest, name="suggest")])
