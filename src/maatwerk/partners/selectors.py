"""Reads for partner clients: a partner sees its own signals only, and of them only the
partner-visible result (never the reason behind "andere reden", nothing about the household)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import memberships
from maatwerk.decisions.services import holidays

from . import triage
from .models import EarlySignal, Partner, Status


def partner_of_client(client) -> Partner | None:
    """The partner an API client sends for, or None (a client of no partner)."""
    if client is None:
        return None
    return Partner.objects.filter(api_client=client).select_related("organisation").first()


def signal_of_partner(partner: Partner, public_id) -> EarlySignal | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return EarlySignal.objects.filter(partner=partner, public_id=key).first()


# What the partner may learn (issue 15, item 5): the code and its text in the DDAS vocabulary
# (Dutch in every interface language, as the field names of the API).
FEEDBACK = {
    "nog_niet_opgepakt": "Nog niet opgepakt",
    "opgepakt": "Opgepakt",
    "niet_opgepakt_herhaalde_melding": "Niet opgepakt: herhaalde melding",
    "niet_opgepakt_onterecht_signaal": "Niet opgepakt: onterecht signaal",
    "niet_opgepakt": "Niet opgepakt",
}
_FEEDBACK_OF_STATUS = {
    Status.NEW: "nog_niet_opgepakt",
    Status.PICKED_UP: "opgepakt",
    Status.REPEATED: "niet_opgepakt_herhaalde_melding",
    Status.UNJUSTIFIED: "niet_opgepakt_onterecht_signaal",
    # Died, moved away or another reason: about the household, so the partner learns only
    # that the signal was not picked up.
    Status.DECEASED: "niet_opgepakt",
    Status.NOT_RESIDENT: "niet_opgepakt",
    Status.OTHER_REASON: "niet_opgepakt",
}
assert set(_FEEDBACK_OF_STATUS) == set(Status)


def feedback(signal: EarlySignal) -> str:
    return _FEEDBACK_OF_STATUS[Status(signal.status)]


# --- the triage queue (issue 15, item 4) -------------------------------------------------------
# Who triages: the workers and team leads of the signal's team; a signal no postcode range
# matched waits in the central queue of its municipality, for that organisation's team leads.
# Nobody else (no policy analyst, manager, director or administrator) sees a signal.

TRIAGE_ROLES = frozenset({Role.WORKER, Role.TEAM_LEAD})


def _scope(user) -> Q | None:
    team_ids = {m.team_id for m in memberships(user) if m.role in TRIAGE_ROLES and m.team_id}
    central = {m.organisation_id for m in memberships(user) if m.role == Role.TEAM_LEAD}
    if not team_ids and not central:
        return None
    return Q(team_id__in=team_ids) | Q(team__isnull=True, partner__organisation_id__in=central)


def may_triage(user) -> bool:
    return _scope(user) is not None


def handover_team_ids(user) -> set[int]:
    """The teams a user records a department's warm handover for (worker or team lead)."""
    return {m.team_id for m in memberships(user) if m.role in TRIAGE_ROLES and m.team_id}


def triage_signals(user):
    """The signals the user triages; a destroyed signal (a tombstone) is nobody's to triage."""
    scope = _scope(user)
    if scope is None:
        return EarlySignal.objects.none()
    return EarlySignal.objects.filter(scope, destroyed_at__isnull=True)


@dataclass(frozen=True)
class QueueRow:
    signal: EarlySignal
    due: date
    urgent: bool
    overdue: bool
    attempts: int


def queue(user, *, today: date | None = None) -> list[QueueRow]:
    """The open signals the user triages, urgent ones first, then by deadline."""
    today = today or timezone.localdate()
    signals = (
        triage_signals(user)
        .filter(status=Status.NEW)
        .select_related("partner", "team")
        .annotate(attempt_count=Count("contact_attempts"))
    )
    days_off = holidays()
    weeks = settings.MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS
    rows = []
    for signal in signals:
        received = timezone.localdate(signal.received_at)
        due = triage.due_date(
            kind=signal.kind, crisis=signal.crisis, received_on=received, weeks=weeks,
            holidays=days_off,
        )  # fmt: skip
        rows.append(
            QueueRow(
                signal=signal,
                due=due,
                urgent=triage.is_urgent(signal.kind, signal.crisis),
                overdue=due < today,
                attempts=signal.attempt_count,
            )
        )
    rows.sort(
        key=lambda r: triage.sort_key(
            kind=r.signal.kind, crisis=r.signal.crisis, due=r.due,
            received_on=timezone.localdate(r.signal.received_at),
        )
    )  # fmt: skip
    return rows


def triage_signal(user, public_id) -> EarlySignal | None:
    """One signal the user triages (its person data: the caller audits the read)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        triage_signals(user)
        .select_related("partner", "team", "case")
        .prefetch_related("contact_attempts")
        .filter(public_id=key)
        .first()
    )


def escalated(user, *, today: date | None = None, rows=None) -> list[QueueRow]:
    """For a team lead: the signals of their teams (and central queue) past their deadline
    with no contact attempt yet: the escalation (issue 15, item 4). `rows`: the user's queue
    when the caller has it already."""
    if not any(m.role == Role.TEAM_LEAD for m in memberships(user)):
        return []
    lead_teams = {m.team_id for m in memberships(user) if m.role == Role.TEAM_LEAD}
    return [
        row
        for row in (queue(user, today=today) if rows is None else rows)
        if row.overdue
        and row.attempts == 0
        and (row.signal.team_id is None or row.signal.team_id in lead_teams)
    ]


# --- reporting (issue 15, item 6) --------------------------------------------------------------

# Who downloads the monthly DDAS export: the policy roles of the signal report's national export.
DDAS_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR})


def ddas_organisations(user) -> list:
    """The organisations whose DDAS export the user may download, by name."""
    from maatwerk.accounts.models import Organisation

    ids = {m.organisation_id for m in memberships(user) if m.role in DDAS_ROLES}
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def report_rows(organisation_ids, start: date, end: date) -> list[tuple[str, str, int]]:
    """(partner type, result key, signals) of the creditor signals received in [start, end):
    one grouped query; department handovers are no creditor signals and are left out."""
    from . import report
    from .models import Source

    tz = timezone.get_current_timezone()
    rows = (
        EarlySignal.objects.filter(
            partner__organisation_id__in=organisation_ids,
            partner__source=Source.PARTNER,
            received_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            received_at__lt=datetime.combine(end, time.min, tzinfo=tz),
        )
        .values_list("partner__type", "status", "end_result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(kind, report.result_of(status, result), n) for kind, status, result, n in rows]


# --- the case page (issue 15: the case → signal backlink) --------------------------------------


def signals_of_case(user, case) -> list[EarlySignal]:
    """The signals linked to a case, for a user who may read that case (need to know: the
    case's own readers); no person data is shown from them, only source, kind, date, result."""
    from maatwerk.cases import selectors as case_selectors

    # One query: the readable-case check is a subquery of it.
    readable = case_selectors.visible_cases(user).filter(pk=case.pk).values("pk")
    return list(
        EarlySignal.objects.filter(case_id__in=readable)
        .select_related("partner")
        .only(
            "public_id", "kind", "crisis", "signal_date", "status", "end_result", "received_at",
            "partner__name", "partner__type", "partner__source",
        )
        .order_by("received_at")
    )  # fmt: skip


def triaged_ids(user, ids) -> set[int]:
    return set(triage_signals(user).filter(pk__in=ids).values_list("pk", flat=True))
