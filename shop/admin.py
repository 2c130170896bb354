"""The Django admin, as the OCOP office's operators get it. This app comes after Oscar's in
INSTALLED_APPS, so its admin module runs after theirs and may re-register their models.

- Records the shop makes itself (basket lines, voucher uses, review votes, an offer's condition
  and benefit, which the dashboard's offer pages build) are shown, not added or edited here: their
  admin forms save rows without the basket, order or review they belong to (a 500 each).
- An autocomplete field re-shown with a value that is no id (a bad post) left Django's widget
  filtering by it, a ValueError: its widget here shows only values that can be ids.
"""
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from oscar.core.loading import get_model


class ShownNotMade:
    """The admin of a model whose rows only the shop's own code writes: view and delete only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OnlyIdsSelected:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _is_value_of(target, v)], attr)


def _is_value_of(field, value) -> bool:
    try:
        field.get_prep_value(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


class IdAutocompleteSelect(OnlyIdsSelected, AutocompleteSelect):
    pass


class IdAutocompleteSelectMultiple(OnlyIdsSelected, AutocompleteSelectMultiple):
    pass


class IdAutocompletes:
    """Autocomplete fields with the widgets above (Django's own otherwise, as the admin builds them)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _reregister(model, *mixins):
    current = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(current.__name__, (*mixins, current), {"__module__": __name__}))


SHOWN_NOT_MADE = [("basket", "Line"), ("voucher", "VoucherApplication"), ("reviews", "Vote"),
                  ("offer", "Condition"), ("offer", "Benefit")]

for app_label, model_name in SHOWN_NOT_MADE:
    _reregister(get_model(app_label, model_name), ShownNotMade)

for model, model_admin in list(admin.site._registry.items()):
    if model_admin.autocomplete_fields:
        _reregister(model, IdAutocompletes)
