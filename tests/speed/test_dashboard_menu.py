"""The dashboard's menu looks each entry's permissions up once per process (shop/dashboard/nav.py):
every user still sees exactly the entries Oscar's own rule gives them."""
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from oscar.apps.dashboard.menu import get_nodes
from oscar.apps.dashboard.nav import default_access_fn

from shop.dashboard.nav import permitted

pytestmark = pytest.mark.django_db
DEMO_USERS = ("admin@ocop.demo", "vanphong@ocop.demo", "htx.chiengmai@ocop.demo", "khach@ocop.demo")


def entries(navigation):
    for entry in navigation:
        yield entry
        yield from entries(entry.get("children", ()))


@pytest.mark.parametrize("email", DEMO_USERS)
def test_every_menu_entry_answers_as_oscars_rule(email):
    user = get_user_model().objects.get(email=email)
    for entry in entries(settings.OSCAR_DASHBOARD_NAVIGATION):
        if "access_fn" in entry:
            continue  # entries with a rule of their own do not ask the default
        name = entry.get("url_name")
        assert permitted(user, name) == default_access_fn(user, name), (email, name)
        assert permitted(user, name) == default_access_fn(user, name)  # and again, from the memo


def test_the_office_menu_resolves_no_url_once_drawn():
    """Oscar's rule reversed and resolved every entry's URL on every page (about 30 of each for the
    office); drawn again, the menu is the same and resolves none."""
    from unittest import mock

    from shop.dashboard import nav

    user = get_user_model().objects.get(email="vanphong@ocop.demo")
    first = [(node.label, [child.label for child in node.children]) for node in get_nodes(user)]
    with mock.patch.object(nav, "resolve", side_effect=AssertionError("resolved again")):
        again = [(node.label, [child.label for child in node.children]) for node in get_nodes(user)]
    assert again == first and first
