"""The shop's language, decided in one place: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in Vietnam are
set to English: a Vietnamese shopper would land on an English shop. Here only an explicit choice
counts, in this order: `?lang=en` on the URL (what the hreflang alternates and the sitemap link
to), then the language cookie (written by the switch, Django's set_language), then LANGUAGE_CODE.

A `?lang=` choice also sets the language cookie, as Django's set_language does: a visitor who
chose English keeps English on the next click, whose link carries no `?lang=` (issue 19). Catalogue
pages cached for anonymous visitors (listing.page_cache) are stored before this runs, without
the cookie, and their key holds the language."""
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


def language_in_url(request) -> str | None:
    chosen = request.GET.get(LANG_PARAM)
    return chosen if chosen in dict(settings.LANGUAGES) else None


def remember_language(response, language: str) -> None:
    """The cookie Django's set_language view writes, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        chosen = language_in_url(request)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            remember_language(response, chosen)
        return response
