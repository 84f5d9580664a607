"""What every write about the strategy shares: the two refusals (a frozen version, a stale edit) and
the common steps (lock the version, check the revision, keep positions in order)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from ..models import StrategyVersion, VersionState

V = VersionState


# Errors ---------------------------------------------------------------------------------------


class FrozenVersion(ValidationError):
    """An edit of a version that is not the working draft."""

    def __init__(self, version: StrategyVersion):
        super().__init__(
            _(
                "Version %(number)d is “%(state)s” and can no longer be changed: only the working draft is edited. "
                "Create the next version to make changes."
            )
            % {"number": version.number, "state": version.get_state_display()},
            code="frozen",
        )


class EditConflict(ValidationError):
    """Someone saved the element after the editor opened it; nothing was written."""

    def __init__(self, *, current, expected_revision: int):
        self.current = current
        self.expected_revision = expected_revision
        who = current.updated_by
        name = who.shown_name if who else _("someone")
        when = timezone.localtime(current.updated_at).strftime("%d.%m.%Y %H:%M") if current.updated_at else ""
        super().__init__(
            _(
                "%(name)s saved a newer text (revision %(revision)d) on %(when)s, after you opened this page. "
                "Your changes have not been saved. Compare them with the newer text below, then save again to "
                "replace it."
            )
            % {"name": name, "revision": current.revision, "when": when},
            code="conflict",
        )


# Common steps ---------------------------------------------------------------------------------


def _locked_version(version: StrategyVersion) -> StrategyVersion:
    return StrategyVersion.objects.select_for_update().select_related("strategy").get(pk=version.pk)


def _editable_version(actor, version: StrategyVersion, permission: str = "strategy.edit_version") -> StrategyVersion:
    """Lock the version, check the person may edit it, and refuse when it is frozen."""
    version = _locked_version(version)
    require_permission(actor, permission, version)
    if not version.is_editable:
        raise FrozenVersion(version)
    return version


def _touch(version: StrategyVersion) -> None:
    version.edited_at = timezone.now()
    StrategyVersion.objects.filter(pk=version.pk).update(edited_at=version.edited_at)


def _fresh(model, obj, version: StrategyVersion):
    """The row as it is now, and only if it belongs to the (locked) version."""
    fresh = model.objects.select_related("updated_by").filter(pk=obj.pk, version=version).first()
    if fresh is None:
        raise ValidationError(_("This element no longer exists in the working draft."), code="missing")
    return fresh


def _check_revision(current, expected_revision: int | None) -> None:
    if expected_revision is not None and current.revision != expected_revision:
        raise EditConflict(current=current, expected_revision=expected_revision)


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _insert_position(queryset, after) -> int:
    """The position right after `after` (or at the end), moving the later siblings one place down."""
    if after is None:
        return _next_position(queryset)
    queryset.filter(position__gt=after.position).update(position=F("position") + 1)
    return after.position + 1


def _renumber(queryset) -> None:
    rows = list(queryset.order_by("position", "id"))
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(rows[0]).objects.bulk_update(changed, ["position"])


def _move(queryset, obj, offset: int) -> None:
    """Move one place up (-1) or down (+1) among its siblings; at either end nothing changes."""
    rows = list(queryset.order_by("position", "id"))
    index = next((i for i, row in enumerate(rows) if row.pk == obj.pk), None)
    if index is None:
        return
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(rows):
        return
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _title(title: str, max_length: int) -> str:
    title = _required(title, "title", _("Give it a title."))
    if len(title) > max_length:
        raise ValidationError({"title": _("At most %(max)d characters.") % {"max": max_length}})
    return title


def _checklist_version(actor, version: StrategyVersion) -> StrategyVersion:
    version = _locked_version(version)
    require_permission(actor, "strategy.manage_checklist", version)
    if version.is_public:
        raise ValidationError(
            _("The checklist of version %(number)d was closed when the version became public.")
            % {"number": version.number},
            code="frozen",
        )
    return version
