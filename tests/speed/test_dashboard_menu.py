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


def _menu_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link of the page's dashboard menu (<nav class="… navbar-primary">)."""
    from html.parser import HTMLParser

    links, state = [], {"in_menu": False, "href": None, "text": ""}

    class Menu(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "nav" and "navbar-primary" in (attrs.get("class") or ""):
                state["in_menu"] = True
            elif tag == "a" and state["in_menu"]:
                state["href"], state["text"] = attrs.get("href"), ""

        def handle_data(self, data):
            if state["href"] is not None:
                state["text"] += data

        def handle_endtag(self, tag):
            if tag == "a" and state["href"] is not None:
                links.append((state["href"], " ".join(state["text"].split())))
                state["href"] = None
            elif tag == "nav":
                state["in_menu"] = False

    Menu().feed(html)
    return links


def _oscar_links(user) -> list[tuple[str, str]]:
    found = []
    for node in get_nodes(user):
        found.append(("#" if node.is_heading else node.url, " ".join(str(node.label).split())))
        found += [(child.url, " ".join(str(child.label).split())) for child in node.children]
    return found


def test_each_user_gets_their_own_menu_though_it_is_drawn_once(client):
    """The menu is kept once drawn (shop/templatetags/dashboard_menu.py): an admin, then the office
    clerk, then the admin again each see exactly the entries Oscar gives them, with their links."""
    from django.urls import reverse

    seen = {}
    for email in ("admin@ocop.demo", "vanphong@ocop.demo", "admin@ocop.demo"):
        user = get_user_model().objects.get(email=email)
        client.force_login(user)
        page = client.get(reverse("dashboard:order-list"))
        assert page.status_code == 200
        seen[email] = _menu_links(page.content.decode())
        assert seen[email] == _oscar_links(user), email
    assert seen["admin@ocop.demo"] != seen["vanphong@ocop.demo"]


def test_a_kept_menu_reverses_no_url_and_follows_the_language():
    from unittest import mock

    from django.utils import translation
    from oscar.apps.dashboard import nav as oscar_nav

    from shop.templatetags.dashboard_menu import dashboard_menu

    user = get_user_model().objects.get(email="vanphong@ocop.demo")
    with translation.override("vi"):
        vietnamese = dashboard_menu(user)
        with mock.patch.object(oscar_nav, "reverse", side_effect=AssertionError("reversed again")):
            assert dashboard_menu(user) == vietnamese  # Oscar's layout reversed every entry's URL per page
    with translation.override("en"):
        english = dashboard_menu(user)
    assert english != vietnamese
    assert [text for _, text in _menu_links(english)] == [text for _, text in _oscar_links_in("en", user)]


def _oscar_links_in(language, user):
    from django.utils import translation

    with translation.override(language):
        return _oscar_links(user)
