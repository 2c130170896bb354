"""The "My shop" dashboard menu shows for producer users only (office staff have every permission,
but no producer of their own). Imported by settings: no models at import time."""


def producer_menu_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from oscar.apps.dashboard.nav import default_access_fn

    from shop.partner.scoping import is_producer_user

    return is_producer_user(user) and default_access_fn(user, url_name, url_args, url_kwargs)
