from django.contrib import admin
from django.http import Http404
from oscar.apps.catalogue.admin import *  # noqa: F403
from oscar.apps.catalogue.admin import CategoryAdmin as OscarCategoryAdmin
from oscar.core.loading import get_model

from core.ids import row_id

Category = get_model("catalogue", "Category")


class CategoryAdmin(OscarCategoryAdmin):
    def children_view(self, request, parent_id):
        # treebeard's URL takes any string and looks the parent up with it: a ValueError (500)
        # for an id that is no number. Such an id names no category.
        if row_id(parent_id) is None:
            raise Http404
        return super().children_view(request, parent_id)

    def changelist_view(self, request, extra_context=None):
        # treebeard sets the parent it lists only for GET; the list's action form (POST) then
        # raised AttributeError in get_queryset. A POST lists from the roots, as a GET does.
        request._treebeard_parent_id = None
        return super().changelist_view(request, extra_context)


admin.site.unregister(Category)
admin.site.register(Category, CategoryAdmin)
