"""What every workspace page shares: the permission it needs, finding the version and the element
by number and key (404 for those the person may not read), and putting a service's message on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from .. import selectors, services
from ..models import Block, Chapter, Direction, Indicator, Section, StrategicGoal, VersionState

WORKSPACE = "strategy.read_workspace"
ELEMENTS = {
    "chapter": Chapter,
    "section": Section,
    "block": Block,
    "goal": StrategicGoal,
    "direction": Direction,
    "indicator": Indicator,
}


# Helpers ----------------------------------------------------------------------------------------


def _strategy():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404
    return strategy


def _version(request, number):
    version = selectors.version_by_number(_strategy(), number)
    if version is None or not request.user.has_perm("strategy.read_version", version):
        raise Http404
    return version


def _element(version, kind: str, key: str):
    model = ELEMENTS.get(kind)
    if model is None:
        raise Http404
    element = model.objects.filter(version=version, key=key).select_related("updated_by").first()
    if element is None:
        raise Http404
    return element


def _form_errors(request, form, error: ValidationError) -> None:
    """The service's message on the form: on its field when the form has one, above the form otherwise.

    A frozen version shows no form at all, so its message goes to the page's messages.
    """
    if isinstance(error, services.FrozenVersion):
        _flash(request, error)
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _version_url(version, name="strategy:ws_version", **kwargs):
    return reverse(name, kwargs={"number": version.number, **kwargs})


def _context(request, version, **extra) -> dict:
    user = request.user
    return {
        "version": version,
        "strategy": version.strategy,
        "can_edit": version.is_editable and user.has_perm("strategy.edit_version", version),
        "can_comment": version.state in (VersionState.WORKING, VersionState.INTERNAL_REVIEW)
        and user.has_perm("strategy.comment_internally", version),
        "can_resolve": not version.is_public and user.has_perm("strategy.resolve_comment", version),
        "can_manage_checklist": not version.is_public and user.has_perm("strategy.manage_checklist", version),
        **extra,
    }
