"""The shop's language: Vietnamese unless the visitor chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in Vietnam are
set to English: a Vietnamese shopper would land on an English shop. Here only an explicit choice
counts: the language switch (Django's set_language, which sets the language cookie) or a
`?lang=` link (storefront.middleware.QueryLanguageMiddleware, for one request)."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
