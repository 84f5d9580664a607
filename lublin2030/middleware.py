"""Requests no page can answer, refused before any view reads them."""

from django.conf import settings
from django.core.exceptions import BadRequest


class RejectUnreadableQueryMiddleware:
    """400 (`handler400`: our page, or JSON under /api/) for an address no view should see.

    - A NUL byte anywhere in the path or the query string: PostgreSQL cannot store or compare text
      holding one, so a search or filter with `%00` would otherwise fail deep inside a query (500).
    - A query string longer than MAX_QUERY_STRING_LENGTH: a 10,000-character search is not a search.
      gunicorn has no request-line cap of its own (gunicorn.conf.py) so that this page is what answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(query) > settings.MAX_QUERY_STRING_LENGTH:
            raise BadRequest("query string too long")
        if "\x00" in request.path or "\x00" in query or (query and _has_nul(request.GET)):
            raise BadRequest("NUL byte in the address")
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
