from django.db.models import Q, QuerySet

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids

from .models import AuditEvent


def audit_events(
    user,
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_id: int | None = None,
    date_from=None,
    date_to=None,
) -> QuerySet[AuditEvent]:
    """Audit events a privacy officer may read: those of their own organisation(s)."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        return AuditEvent.objects.none()
    # Anonymous events (failed logins) have no organisation and name nobody; officers see them.
    qs = AuditEvent.objects.filter(
        Q(organisation_id__in=organisation_ids(user)) | Q(organisation__isnull=True)
    ).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs
