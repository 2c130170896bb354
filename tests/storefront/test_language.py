"""Vietnamese first: many phones in Vietnam are set to English, yet the shop speaks Vietnamese
until the visitor chooses English with the switch (or a link carries ?lang=en)."""
import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_still_gets_vietnamese():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.content.decode()


def test_the_language_switch_makes_english_stick():
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi"' in client.get("/").content.decode()


def test_a_lang_link_picks_the_language_and_it_stays_for_the_next_clicks():
    """Issue 19: English chosen through ?lang=en fell back to Vietnamese on the next click."""
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.get("/?lang=en")
    assert '<html lang="en"' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for path in ("/", "/catalogue/", "/search/?q=che", "/basket/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<html lang="en"' in page.content.decode(), path
    back = client.get("/catalogue/?lang=vi")
    assert '<html lang="vi"' in back.content.decode()
    assert '<html lang="vi"' in client.get("/").content.decode()


def test_a_lang_link_in_the_language_already_chosen_sets_no_cookie_again():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/?lang=en")
    assert '<html lang="en"' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_unknown_lang_value_changes_nothing():
    client = Client()
    response = client.get("/?lang=fr")
    assert '<html lang="vi"' in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
