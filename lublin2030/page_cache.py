"""Whole pages kept in the cache and shared by every visitor: the one way to cache a page.

    @cache_page("home", depends_on=[versions.CALENDAR], by_day=True, seconds=600)
    def home(request): ...

A page is rendered once per (prefix, versions of `depends_on`, `key`, day, language, full path) and
read back for every visitor without pending messages. It is rendered as an anonymous visitor sees
it (`request.user` is an AnonymousUser while the view runs), so nothing personal and no staff-only
link can enter the shared body. What belongs to one person is filled in on each response:
- the CSRF token of the page's forms (rendered as a placeholder);
- the account part of the main menu (`includes/account_menu.html`: her links, the staff panel for
  staff, log in / sign up for anonymous visitors), rendered from the request's user alone;
- whatever `fill` adds (e.g. an opinion's trace, which changes without our versions).
Pages whose body differs for a signed-in visitor (her applications, flags, moderation links) say
`signed_in=False`: signed-in visitors get them rendered for themselves, as before.

A hit costs two cache calls (the versions in one `get_many`, then the page) and no query. The
versions in the key are numbers that change when what the page shows changes
(`lublin2030.versions`): old pages are never deleted, they stop being read and expire. `by_day`
puts today's date in the key, for pages that say what is open today: windows open and close by day.
"""

import functools
import hashlib

from django.contrib import messages
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation

from . import versions

CSRF_PLACEHOLDER = "lublin2030-csrf-token-placeholder"
ACCOUNT_MENU_PLACEHOLDER = "<!--lublin2030-account-menu-placeholder-->"
_SHARED = "_lublin2030_rendering_shared_page"


def cache_page(prefix: str, *, seconds, depends_on=(), key=None, by_day=False, signed_in=True, fill=None):
    """Keep the decorated view's page in the cache (GET and HEAD, status 200 only).

    - `seconds`: how long a page is kept (an int, or a callable returning one);
    - `depends_on`: names of `lublin2030.versions` whose change retires the page;
    - `key`: a callable (request, *args, **kwargs) returning more of the key as a string (data
      versions of its own, e.g. one consultation's), or None when this request is not cached;
    - `by_day`: today's date in the key;
    - `signed_in`: signed-in visitors get the shared body too (False: only anonymous visitors);
    - `fill`: a callable (request, html, *args, **kwargs) returning the page with per-response parts
      filled in, or None when the cached page must not be served (the view then answers).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _may_share(request, signed_in):
                return view(request, *args, **kwargs)
            extra = key(request, *args, **kwargs) if key is not None else ""
            if extra is None:
                return view(request, *args, **kwargs)
            page_key = _page_key(request, prefix, depends_on, extra, by_day)
            html = cache.get(page_key)
            if html is not None:
                filled = fill(request, html, *args, **kwargs) if fill else html
                if filled is not None:
                    return respond(request, filled)
            try:
                response = _render_shared(view, request, args, kwargs)
            except (Http404, PermissionDenied):
                if not request.user.is_authenticated:
                    raise
                return view(request, *args, **kwargs)  # she may see more than the public: rendered for her
            if response.status_code != 200 or getattr(response, "streaming", False):
                # Not a page to share: anonymous visitors get it as it is; a signed-in visitor may
                # see more (a permission, a redirect to log in), so her page is rendered for her.
                return response if not request.user.is_authenticated else view(request, *args, **kwargs)
            html = response.content.decode(response.charset)
            cache.set(page_key, html, seconds() if callable(seconds) else seconds)
            filled = fill(request, html, *args, **kwargs) if fill else html
            return respond(request, filled) if filled is not None else view(request, *args, **kwargs)

        return wrapper

    return decorator


def rendering_shared(request) -> bool:
    """Is this view rendering the shared body? (It then leaves placeholders for the per-response parts.)"""
    return getattr(request, _SHARED, False)


def placeholder_context(request) -> dict:
    """For `lublin2030.context_processors.site`: the shared body's placeholders while it is rendered."""
    if not rendering_shared(request):
        return {}
    return {"csrf_token": CSRF_PLACEHOLDER, "ACCOUNT_MENU_PLACEHOLDER": ACCOUNT_MENU_PLACEHOLDER}


def account_menu(request) -> str:
    """The visitor's own part of the main menu, from her user alone (no context processors)."""
    user = request.user
    context = {"user": user, "perms": PermWrapper(user), "request": request, "csrf_token": get_token(request)}
    return get_template("includes/account_menu.html").render(context)


def respond(request, html: str) -> HttpResponse:
    """The shared page with this visitor's own parts."""
    html = html.replace(ACCOUNT_MENU_PLACEHOLDER, account_menu(request), 1)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _may_share(request, signed_in: bool) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated and not signed_in:
        return False
    return not len(messages.get_messages(request))


def _page_key(request, prefix, depends_on, extra, by_day) -> str:
    numbers = versions.current_many(depends_on) if depends_on else {}
    day = timezone.localdate().isoformat() if by_day else ""
    data_key = ":".join([*(str(numbers[name]) for name in depends_on), extra, day])
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{prefix}:{data_key}:{translation.get_language()}:{digest}"


def _render_shared(view, request, args, kwargs):
    """The view's page as an anonymous visitor sees it, with placeholders for the personal parts."""
    user = request.user
    request.user = AnonymousUser()
    setattr(request, _SHARED, True)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
    finally:
        request.user = user
        setattr(request, _SHARED, False)
