"""The shop's language, decided in one place: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in Vietnam are
set to English: a Vietnamese shopper would land on an English shop. Here only an explicit choice
counts, in this order: `?lang=en` on the URL (this request only, no cookie: what the hreflang
alternates and the sitemap link to), then the language switch's cookie (Django's set_language),
then LANGUAGE_CODE."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

LANG_PARAM = "lang"


def chosen_language(request) -> str:
    codes = dict(settings.LANGUAGES)
    for chosen in (request.GET.get(LANG_PARAM), request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        if chosen in codes:
            return chosen
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
