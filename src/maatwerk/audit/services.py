"""Writing the audit log. Callers run inside their own transaction, so the event commits or
rolls back together with the change it describes."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from maatwerk.core.logging import request_id_var

from .models import AuditEvent

Action = AuditEvent.Action


def _organisation_id(actor) -> int | None:
    return getattr(actor, "organisation_id", None) if actor is not None else None


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """`organisation_id` names the organisation when the actor is no person (an API client)."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        organisation_id=_organisation_id(actor) or organisation_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
        reason=reason[:500],
        changes=dict(changes or {}),
    )


def record_views(*, actor, objects: Iterable[models.Model], reason: str = "") -> None:
    """One *view* event per personal-data object shown (a list page shows several)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    request_id = request_id_var.get() if request_id_var.get() != "-" else ""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                organisation_id=_organisation_id(actor),
                action=Action.VIEW,
                object_type=o._meta.label_lower,
                object_id=str(o.pk),
                request_id=request_id,
                reason=reason[:500],
            )
            for o in objects
        ]
    )


# What a change set shows instead of a value that may describe a person or household.
MASKED = "***"


def diff(instance: models.Model, new_values: Mapping[str, Any], *, masked=()) -> dict:
    """Old/new values of the fields that change; personal fields are recorded as masked."""
    changes = {}
    for field, new in new_values.items():
        old = getattr(instance, field)
        if old != new:
            if field in masked:
                changes[field] = {"old": MASKED, "new": MASKED}
            else:
                changes[field] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
