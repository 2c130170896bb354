"""Each test starts in the shop's default language, whatever the test before it asked for.

The language middleware (core/language.py) activates the visitor's choice for the thread, as
Django's LocaleMiddleware does, and nothing turns it off after the response. A test that fetched
a page in English left English active for the next test on the same worker, and a message built
outside a request (a COD statement's import errors) came out in English in CI only when the
files fell in that order. The two tests below run in this order in one worker (--dist loadfile)."""
import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_page_asked_for_in_english_leaves_english_active_in_this_test(client):
    client.get("/?lang=en")
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
    assert translation.get_language() == "vi"
    assert translation.gettext("The file is empty.") == "Tệp trống."
