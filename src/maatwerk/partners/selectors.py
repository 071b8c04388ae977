"""Reads for partner clients: a partner sees its own signals only, and of them only the
partner-visible result (never the reason behind "andere reden", nothing about the household)."""

from __future__ import annotations

import uuid

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
