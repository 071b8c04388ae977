"""Writes of the privacy officer: requests of residents, recorded and audited."""

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit import services as audit
from maatwerk.cases.models import Resident

from .models import DataSubjectRequest


def one_month_after(day: date) -> date:
    """The same day a month later, or the month's last day (31 January → 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def record_request(
    officer, resident: Resident, *, kind: str, received_on: date, note: str = ""
) -> DataSubjectRequest:
    if not has_role(officer, Role.PRIVACY_OFFICER):
        raise PermissionDenied(_("Only the privacy officer records a resident's request."))
    organisation_id = resident.household.team.organisation_id
    if organisation_id not in organisation_ids(officer):
        raise PermissionDenied(_("This resident is not known to your organisation."))
    if kind not in DataSubjectRequest.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    if received_on > date.today():
        raise ValidationError({"received_on": _("The date of receipt cannot lie in the future.")})
    if kind == DataSubjectRequest.Kind.ACCESS:
        # Looking the person up again for the same request records nothing new.
        same = DataSubjectRequest.objects.filter(
            resident=resident, kind=kind, received_on=received_on
        ).first()
        if same is not None:
            return same
    request = DataSubjectRequest.objects.create(
        organisation_id=organisation_id,
        resident=resident,
        kind=kind,
        received_on=received_on,
        due_on=one_month_after(received_on),
        note=note.strip(),
        recorded_by=officer,
    )
    # The action and the kind; never the note (it may describe the person).
    audit.record(actor=officer, action=audit.Action.CREATE, obj=request, reason=kind)
    return request
