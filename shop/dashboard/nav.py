"""Who sees which entry of the dashboard's menu: Oscar's rule (the permissions of the view the
entry links to), with each entry's permissions looked up once per process instead of on every page.

Oscar's default_access_fn reverses and resolves every entry's URL for every page it draws: about
30 reverse() and 30 resolve() calls a page for the office's menu, for an answer that only changes
when the URLconf does (never while a process runs). What the user is allowed is still checked on
every page (check_permissions, Oscar's own)."""
from __future__ import annotations

from functools import lru_cache

from django.urls import resolve, reverse
from oscar.apps.dashboard.nav import _dashboard_url_names_to_config
from oscar.views.decorators import check_permissions


def permitted(user, url_name, url_args=None, url_kwargs=None) -> bool:
    if url_name is None:  # a heading
        return True
    return check_permissions(user, _permissions(url_name, tuple(url_args or ()),
                                                tuple(sorted((url_kwargs or {}).items()))))


@lru_cache(maxsize=512)
def _permissions(url_name: str, url_args: tuple, url_kwargs: tuple):
    match = resolve(reverse(url_name, args=url_args, kwargs=dict(url_kwargs)))
    return _dashboard_url_names_to_config()[match.url_name].get_permissions(match.url_name)
