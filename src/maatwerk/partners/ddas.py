"""The monthly DDAS export of early signals (issue 15, item 6): municipality → national monitor.

One organisation, one calendar month (by the day a signal arrived): every creditor signal of
its partners (a department's warm handover is no creditor signal and is left out), each with
the DDAS fields, and the vroegsignaalzaken: the signals picked up into one case form one zaak,
every other signal its own. No person data: a signal whose person data was destroyed
(`destroy_expired_signals`) exports exactly as before.

JSON in the envelope of core.json_export (payload + SHA-256), valid against
`schemas/ddas-monthly.schema.json` (checked on every export), and CSV with one line per signal.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone

from maatwerk.core import json_export

from .models import EarlySignal, Source, Status

FORMAT = "open-maatwerk-ddas-monthly"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schemas" / "ddas-monthly.schema.json"
CSV_COLUMNS = [
    "gemeente", "maand", "ID", "signaalpartner.type", "crisissignaal", "warmeOverdracht",
    "bedrag", "ontstaansdatum", "signaaldatum", "status", "resultaat", "datumOpgepakt",
    "contactpogingen", "contactpogingen.bereikt",
]  # fmt: skip

# The DDAS EnumSignaalstatus of each status; picked up has none (its result is on the zaak).
DDAS_STATUS = {
    Status.NEW: "Nog niet opgepakt",
    Status.PICKED_UP: None,
    Status.REPEATED: "Niet opgepakt: herhaalde melding",
    Status.UNJUSTIFIED: "Niet opgepakt: onterecht signaal",
    Status.DECEASED: "Inwoner is overleden",
    Status.NOT_RESIDENT: "Persoon is geen inwoner (meer) in de gemeente",
    Status.OTHER_REASON: "Niet opgepakt: andere reden",
}
assert set(DDAS_STATUS) == set(Status)

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(value: str | None) -> date | None:
    """The first day of the month "2026-10", or None."""
    match = _MONTH.match((value or "").strip())
    if not match or int(match.group(1)) < 2000:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_key(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_bounds(first: date) -> tuple[datetime, datetime]:
    """The month as aware datetimes [start, end) in the local time zone."""
    tz = timezone.get_current_timezone()
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    nxt = _next_month(first)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=tz)


def creditor_signals(organisation_id: int, first: date):
    """The creditor signals an organisation received in the month (no department handover)."""
    start, end = month_bounds(first)
    return EarlySignal.objects.filter(
        partner__organisation_id=organisation_id,
        partner__source=Source.PARTNER,
        received_at__gte=start,
        received_at__lt=end,
    )


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def signal_row(signal: EarlySignal, partner_type: str) -> dict:
    return {
        "ID": str(signal.public_id),
        "crisissignaal": signal.crisis,
        "warmeOverdracht": signal.warm_handover,
        "bedrag": int(signal.amount),
        "ontstaansdatum": _day(signal.arrears_since),
        "signaaldatum": signal.signal_date.isoformat(),
        "status": DDAS_STATUS[Status(signal.status)],
        "signaalpartner": {"type": partner_type},
    }


def zaken(signals: list[EarlySignal]) -> list[dict]:
    """The vroegsignaalzaken: one per case the signals were picked up into, else one each."""
    groups: dict[object, list[EarlySignal]] = {}
    for s in signals:
        groups.setdefault(("case", s.case_id) if s.case_id else ("signal", s.pk), []).append(s)
    out = []
    for members in groups.values():
        results = [s.end_result for s in members if s.end_result]
        picked = [timezone.localdate(s.handled_at) for s in members
                  if s.status == Status.PICKED_UP and s.handled_at]  # fmt: skip
        attempts = sorted(
            (a for s in members for a in s.contact_attempts.all()),
            key=lambda a: (a.date, a.recorded_at),
        )
        out.append(
            {
                "resultaat": results[-1] if results else None,
                "datumOpgepakt": _day(min(picked)) if picked else None,
                "vroegsignalen": [{"ID": str(s.public_id)} for s in members],
                "contactpogingen": [
                    {
                        "soort": a.kind,
                        "bereikt": a.reached,
                        "datum": a.date.isoformat(),
                        "dagdeel": a.part_of_day,
                    }
                    for a in attempts
                ],
            }
        )
    return out


def payload(organisation, first: date, *, now: datetime) -> dict:
    signals = list(
        creditor_signals(organisation.pk, first)
        .select_related("partner")
        .prefetch_related("contact_attempts")
        .order_by("received_at", "pk")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "gemeente": {"naam": organisation.name},
        "maand": month_key(first),
        "generated_at": now.isoformat(timespec="seconds"),
        "vroegsignalen": [signal_row(s, s.partner.type) for s in signals],
        "vroegsignaalzaken": zaken(signals),
    }


def to_json(data: dict) -> bytes:
    """The envelope with its SHA-256, checked against the schema first (InvalidExport)."""
    json_export.validate(json_export.envelope(data), SCHEMA_PATH)
    return json_export.to_json(data)


def to_csv(data: dict) -> bytes:
    """One line per signal, with its zaak's result (also validated: the JSON is the source)."""
    json_export.validate(json_export.envelope(data), SCHEMA_PATH)
    zaak_of = {m["ID"]: z for z in data["vroegsignaalzaken"] for m in z["vroegsignalen"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in data["vroegsignalen"]:
        z = zaak_of[s["ID"]]
        writer.writerow(
            [
                data["gemeente"]["naam"], data["maand"], s["ID"], s["signaalpartner"]["type"],
                str(s["crisissignaal"]).lower(), str(s["warmeOverdracht"]).lower(), s["bedrag"],
                s["ontstaansdatum"] or "", s["signaaldatum"], s["status"] or "",
                z["resultaat"] or "", z["datumOpgepakt"] or "", len(z["contactpogingen"]),
                sum(1 for a in z["contactpogingen"] if a["bereikt"]),
            ]
        )  # fmt: skip
    return buffer.getvalue().encode()


def filename(organisation_name: str, first: date, suffix: str) -> str:
    from django.utils.text import slugify

    return f"ddas-vroegsignalen-{slugify(organisation_name)}-{month_key(first)}.{suffix}"
