from django.conf import settings
from django.utils import translation

from .seo import LANG_PARAM


class QueryLanguageMiddleware:
    """`?lang=en` shows that page in English for this request only (the hreflang alternates and
    crawlers use it); the visitor's saved choice, the language cookie, is left alone. Goes after
    LocaleMiddleware, which it overrides for the request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        code = request.GET.get(LANG_PARAM)
        if code not in self.codes:
            return self.get_response(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
