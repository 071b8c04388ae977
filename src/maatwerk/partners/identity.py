"""Pure rules of an early signal, without Django models: who the signal is about, which partner
types may send, and the window of a repeated signal. Property-tested in
tests/partners/test_identity.py.

A person is named either by BSN or by postcode + house number (+ addition) + date of birth
(DDAS Vroegsignalering v1.2). Two signals are about "the same person" when they carry the same
BSN, or the same postcode, house number, addition and date of birth. The comparison runs on a
keyed hash (`person_key`), so the database can match persons without holding a BSN in plain
text and without a key that decrypts anything.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from datetime import date

# DDAS EnumSignaalpartner, in the model's order (../shared/data/ddas-vroegsignalering.md).
PARTNER_TYPES: tuple[str, ...] = (
    "Energie",
    "Huur",
    "Hypotheek",
    "CAK Zorgverzekeringen",
    "Zorg",
    "Water",
    "DUO",
    "Belastingdienst",
    "CAK Eigen bijdrage",
    "Overige",
    "Dienst Toeslagen",
)
# The partners of the Besluit gemeentelijke schuldhulpverlening (art. 3-6): landlords, energy
# and drinking-water companies and health insurers (DDAS "Zorg"). They may send by default;
# every other type only when the municipality enables it (e.g. an experiment, Wgs art. 10).
BESLUIT_TYPES: frozenset[str] = frozenset({"Huur", "Energie", "Water", "Zorg"})

# Dutch postcode: four digits not starting with 0, two letters; SA, SD and SS are not issued.
_POSTCODE = re.compile(r"^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$")


def may_send(partner_type: str, enabled: bool) -> bool:
    """A Besluit partner always; any other type only when the municipality enabled it."""
    return partner_type in BESLUIT_TYPES or (enabled and partner_type in PARTNER_TYPES)


def normalise_postcode(value: str) -> str:
    """`1234 ab` → `1234AB`: spaces out, letters upper case."""
    return "".join((value or "").split()).upper()


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(value or ""))


def normalise_addition(value: str | None) -> str:
    """The house number addition as compared: no spaces or dashes, upper case (`-a` → `A`)."""
    return "".join(ch for ch in (value or "") if ch not in " -").upper()


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or the month's last day when it has none
    (31 May minus 3 months → 28 or 29 February)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def person_key(
    secret: str,
    *,
    bsn: str = "",
    postcode: str = "",
    house_number: int | None = None,
    addition: str = "",
    birth_date: date | None = None,
) -> str:
    """A keyed hash (hex) naming the person of a signal: the BSN when there is one, else the
    address and date of birth. The same person gives the same key; the key reveals neither."""
    if not secret:
        raise RuntimeError("no key for person hashes")
    if bsn:
        text = f"bsn:{bsn}"
    else:
        born = birth_date.isoformat() if birth_date else ""
        address = f"{normalise_postcode(postcode)}|{house_number}|{normalise_addition(addition)}"
        text = f"adr:{address}|{born}"
    key = hmac.new(secret.encode(), b"maatwerk-early-signal-person", hashlib.sha256).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def is_repeat(
    *,
    amount: int,
    signal_date: date,
    earlier: list[tuple[date, int]],
    window_months: int,
) -> bool:
    """A repeated signal (DDAS "Niet opgepakt: herhaalde melding"): an earlier handled signal of
    the same partner about the same person lies within the window before this one, and the
    amount has not risen since the latest of them. `earlier` = [(signal date, amount)]."""
    start = months_before(signal_date, window_months)
    within = [e for e in earlier if start <= e[0] <= signal_date]
    if not within:
        return False
    _latest_date, latest_amount = max(within, key=lambda e: (e[0], e[1]))
    return amount <= latest_amount
