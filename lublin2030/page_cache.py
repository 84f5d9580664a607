"""Whole pages kept for anonymous visitors, with the visitor's own CSRF token filled in on each hit.

A page that holds nothing personal is rendered once per (prefix, version, language, full path) and
read back from the cache for every anonymous visitor without pending messages. The CSRF token of
the page's forms (the language switch) is rendered as a placeholder and replaced on each response,
so a hit costs one cache read and no query. The `version` in the key is whatever number changes when
what the page shows changes (e.g. participation's publication version): old pages are never
deleted, they stop being read and expire.
"""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

CSRF_PLACEHOLDER = "lublin2030-csrf-token-placeholder"


def page_key(request, prefix: str, version) -> str | None:
    """The cache key of this request's page, or None when the page must be rendered for this visitor."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    from django.utils import translation

    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{prefix}:{version}:{translation.get_language()}:{digest}"


def cached_page(key: str | None) -> str | None:
    return cache.get(key) if key else None


def store_page(key: str, html: str, seconds: int) -> None:
    cache.set(key, html, seconds)


def placeholder_context() -> dict:
    """Context for rendering a page to be stored: the CSRF token as a placeholder."""
    return {"csrf_token": CSRF_PLACEHOLDER}


def respond(request, html: str) -> HttpResponse:
    """The stored page with this visitor's CSRF token."""
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
