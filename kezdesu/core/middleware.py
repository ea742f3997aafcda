from django.middleware.locale import LocaleMiddleware


class KazakhFirstLocaleMiddleware(LocaleMiddleware):
    """Kazakh unless the visitor chose another language with the switch (the language cookie).

    The browser's Accept-Language is ignored on purpose: most browsers here say en-US or ru-RU, and
    the state language must be what a visitor sees first.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
