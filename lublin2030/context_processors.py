from django.conf import settings
from django.urls import translate_url

from . import page_cache


def site(request):
    return {
        "PROCESS_NAME": settings.PROCESS_NAME,
        # The current page in each language, computed while this page's language is active:
        # set_language cannot resolve an /en/ address once the switch has made Polish active.
        "LANGUAGE_URLS": {code: translate_url(request.get_full_path(), code) for code, _ in settings.LANGUAGES},
        # While a shared page is rendered: placeholders for the visitor's own parts (lublin2030.page_cache).
        **page_cache.placeholder_context(request),
    }
