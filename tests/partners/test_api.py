"""The partner API (issue 15, items 1-3 and 5): every answer of POST /api/v1/vroegsignalen and
GET /api/v1/vroegsignalen/{id}, as a partner's client sees them."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.api import services as api_services
from maatwerk.api.models import Scope
from maatwerk.audit.models import AuditEvent
from maatwerk.partners import services
from maatwerk.partners.models import EarlySignal, PartnerType, Status

from .conftest import BSN, bearer, make_partner, rent_signal

URL = "/api/v1/vroegsignalen"


def post(api, body):
    return api.post(URL, body, format="json")


def handle(world, public_id, status=Status.PICKED_UP):
    signal = EarlySignal.objects.get(public_id=public_id)
    return services.set_status(actor=world["users"][Role.WORKER], signal=signal, status=status)


def test_a_signal_is_received_with_201_its_id_and_not_yet_picked_up(api, partner):
    response = post(api, rent_signal())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "nog_niet_opgepakt"
    assert body["statusOmschrijving"] == "Nog niet opgepakt"
    assert body["partnerSignaalId"] == "WS-00001"
    assert response["API-Version"] == "1.0.0"
    assert response["Location"].endswith(f"{URL}/{body['id']}")
    signal = EarlySignal.objects.get(public_id=body["id"])
    assert signal.partner == partner and signal.status == Status.NEW
    assert (signal.postcode, signal.house_number, signal.house_number_addition) == (
        "8881AB", 12, "a",
    )  # fmt: skip
    assert signal.amount == 900 and signal.bsn_encrypted == ""
    # Nothing about the household comes back.
    assert "8881" not in response.content.decode()


def test_a_replay_answers_200_with_the_original_and_creates_nothing(api):
    first = post(api, rent_signal())
    again = post(api, rent_signal(bedrag=5000))
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert EarlySignal.objects.count() == 1
    assert EarlySignal.objects.get().amount == 900


def test_a_repeat_within_the_window_is_closed_as_herhaalde_melding(api, world):
    first = post(api, rent_signal(1, signaaldatum="2026-09-01", ontstaansdatum="2026-07-01"))
    handle(world, first.json()["id"])
    # The same person: the addition written another way is the same address.
    second = rent_signal(2, signaaldatum="2026-11-02", bedrag=900)
    second["persoon"] = {**second["persoon"], "postcode": "8881ab", "huisnummertoevoeging": "-A"}
    response = post(api, second)
    assert response.status_code == 201
    assert response.json()["status"] == "niet_opgepakt_herhaalde_melding"
    signal = EarlySignal.objects.get(public_id=response.json()["id"])
    assert signal.status == Status.REPEATED and signal.handled_at is not None
    assert str(signal.repeat_of.public_id) == first.json()["id"]


def test_a_risen_amount_must_be_picked_up(api, world):
    first = post(api, rent_signal(1, signaaldatum="2026-09-01", ontstaansdatum="2026-07-01"))
    handle(world, first.json()["id"])
    response = post(api, rent_signal(2, bedrag=901))
    assert response.status_code == 201
    assert response.json()["status"] == "nog_niet_opgepakt"


@pytest.mark.parametrize(
    ("earlier_date", "handled", "person", "expected"),
    [
        ("2026-08-02", True, {}, "niet_opgepakt_herhaalde_melding"),  # 3 months exactly
        ("2026-08-01", True, {}, "nog_niet_opgepakt"),  # a day outside the window
        ("2026-10-01", False, {}, "nog_niet_opgepakt"),  # the earlier one is still open
        ("2026-10-01", True, {"geboortedatum": "1980-05-18"}, "nog_niet_opgepakt"),
        ("2026-10-01", True, {"huisnummertoevoeging": ""}, "nog_niet_opgepakt"),
    ],
)
def test_what_counts_as_a_repeat(api, world, earlier_date, handled, person, expected):
    first = rent_signal(1, signaaldatum=earlier_date, ontstaansdatum="2026-07-01")
    first["persoon"] = {**first["persoon"], **person}
    created = post(api, first)
    if handled:
        handle(world, created.json()["id"])
    response = post(api, rent_signal(2, signaaldatum="2026-11-02"))
    assert response.json()["status"] == expected


def test_the_window_is_configurable(api, world, settings):
    settings.MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS = 6
    first = post(api, rent_signal(1, signaaldatum="2026-06-01", ontstaansdatum="2026-05-01"))
    handle(world, first.json()["id"])
    assert post(api, rent_signal(2)).json()["status"] == "niet_opgepakt_herhaalde_melding"


def test_another_partners_signal_about_the_same_person_is_no_repeat(api, world):
    first = post(api, rent_signal(1, signaaldatum="2026-10-01"))
    handle(world, first.json()["id"])
    energy = bearer(make_partner(world, type=PartnerType.ENERGY, name="Energie Noord"), world)
    signal = rent_signal(1)
    del signal["huurvoorwaarden"]
    response = post(energy, signal)
    assert response.status_code == 201  # the same partnerSignaalId, another partner
    assert response.json()["status"] == "nog_niet_opgepakt"


def test_bsn_is_stored_encrypted_and_matches_the_same_person(world, caplog):
    partner = make_partner(world, type=PartnerType.HEALTH, name="Zorgverzekeraar", holds_bsn=True)
    api = bearer(partner, world)
    signal = rent_signal(1, signaaldatum="2026-10-01", persoon={"bsn": "111.222.333"})
    del signal["huurvoorwaarden"]
    with caplog.at_level(logging.DEBUG):
        first = post(api, signal)
        assert first.status_code == 201, first.json()
        handle(world, first.json()["id"])
        second = post(api, {**signal, "partnerSignaalId": "Z-2", "signaaldatum": "2026-11-01"})
    assert second.json()["status"] == "niet_opgepakt_herhaalde_melding"
    row = EarlySignal.objects.filter(public_id=first.json()["id"]).values().get()
    assert not any(BSN in str(value) for value in row.values())
    assert row["bsn_encrypted"]
    assert BSN not in caplog.text
    assert not any(BSN in str(e.changes) + e.reason for e in AuditEvent.objects.all())


def test_an_invalid_bsn_is_400_naming_the_field_without_repeating_it(world):
    partner = make_partner(world, type=PartnerType.HEALTH, name="Zorgverzekeraar", holds_bsn=True)
    response = post(bearer(partner, world), rent_signal(persoon={"bsn": "111222334"}))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("persoon.bsn", "bsn_invalid")]
    assert "111222334" not in response.content.decode()
    assert not EarlySignal.objects.exists()


def test_a_bsn_from_a_partner_that_may_not_hold_it_is_refused_422(api):
    response = post(api, rent_signal(persoon={"bsn": BSN}))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "partners.bsn_not_allowed"
    assert [e["field"] for e in body["errors"]] == ["persoon.bsn"]
    assert BSN not in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"persoon": {"postcode": "0123AB", "huisnummer": 1, "geboortedatum": "1980-01-01"}},
         "persoon.postcode"),
        ({"persoon": {"postcode": "1234SS", "huisnummer": 1, "geboortedatum": "1980-01-01"}},
         "persoon.postcode"),
        ({"persoon": {"postcode": "1234AB", "huisnummer": 1, "geboortedatum": "1980-02-30"}},
         "persoon.geboortedatum"),
        ({"persoon": {"postcode": "1234AB", "huisnummer": 1}}, "persoon.geboortedatum"),
        ({"signaaldatum": "2026-13-01"}, "signaaldatum"),
        ({"signaaldatum": "2999-01-01"}, "signaaldatum"),
        ({"ontstaansdatum": "2026-12-01", "signaaldatum": "2026-11-01"}, "ontstaansdatum"),
        ({"soortSignaal": "eindelevering"}, "einddatumLevering"),
        ({"soortSignaal": "later"}, "soortSignaal"),
        ({"bedrag": -5}, "bedrag"),
        ({"bedrag": 12.5}, "bedrag"),
        ({"partnerSignaalId": ""}, "partnerSignaalId"),
    ],
)  # fmt: skip
def test_invalid_fields_are_400_problems_naming_the_field(api, change, field):
    response = post(api, rent_signal(**change))
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not EarlySignal.objects.exists()


def test_a_missing_rent_precondition_is_refused_422_naming_it(api):
    signal = rent_signal()
    signal["huurvoorwaarden"]["persoonlijkContactGezocht"] = False
    response = post(api, signal)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "partners.precondition_missing"
    assert [e["field"] for e in body["errors"]] == ["huurvoorwaarden.persoonlijkContactGezocht"]

    del signal["huurvoorwaarden"]
    fields = {e["field"] for e in post(api, signal).json()["errors"]}
    assert fields == {
        "huurvoorwaarden.herinneringVerstuurdOp",
        "huurvoorwaarden.persoonlijkContactGezocht",
        "huurvoorwaarden.gewezenOpSchuldhulpverlening",
        "huurvoorwaarden.geenBezwaarTegenDoorgifte",
    }
    assert not EarlySignal.objects.exists()


def test_an_energy_end_of_supply_signal_needs_no_rent_preconditions(world):
    api = bearer(make_partner(world, type=PartnerType.ENERGY, name="Energie Noord"), world)
    signal = rent_signal(soortSignaal="eindelevering", einddatumLevering="2026-12-01")
    del signal["huurvoorwaarden"]
    response = post(api, signal)
    assert response.status_code == 201
    assert EarlySignal.objects.get().supply_end_date.isoformat() == "2026-12-01"


def test_no_or_a_bad_token_is_401(partner, world):
    response = APIClient().post(URL, rent_signal(), format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer mwk_000000000000.nope")
    assert bad.get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 401


def test_a_revoked_token_is_401(partner, world):
    admin = world["users"][Role.ADMIN]
    token, secret = api_services.issue_token(actor=admin, client=partner.api_client)
    api_services.revoke_token(actor=admin, token=token)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert post(api, rent_signal()).status_code == 401


@pytest.mark.parametrize("role", [Role.WORKER, Role.ADMIN, Role.DIRECTOR])
def test_people_get_403(world, partner, role):
    api = APIClient()
    api.force_authenticate(world["users"][role])
    response = post(api, rent_signal())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_client_of_no_partner_gets_403(world):
    admin = world["users"][Role.ADMIN]
    client = api_services.create_client(
        actor=admin,
        organisation=world["team_a"].organisation,
        name="Los",
        scopes=[Scope.SIGNALS_WRITE],
    )
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {api_services.issue_token(actor=admin, client=client)[1]}"
    )
    assert post(api, rent_signal()).status_code == 403


def test_only_besluit_partners_send_unless_enabled(world):
    duo = make_partner(world, type=PartnerType.DUO, name="DUO")
    api = bearer(duo, world)
    signal = rent_signal()
    del signal["huurvoorwaarden"]
    refused = post(api, signal)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    services.update_partner(
        actor=world["users"][Role.ADMIN], partner=duo, enabled=True,
        enabled_reason="Experiment Wgs art. 10",
    )  # fmt: skip
    assert post(api, signal).status_code == 201


def test_an_inactive_partner_is_refused(api, partner, world):
    services.update_partner(actor=world["users"][Role.ADMIN], partner=partner, is_active=False)
    assert post(api, rent_signal()).status_code == 401  # its client is switched off too


def test_a_client_beyond_its_rate_gets_429(api, settings):
    settings.MAATWERK_PARTNER_RATE = "2/min"
    assert post(api, rent_signal(1)).status_code == 201
    assert api.get(f"{URL}/00000000-0000-0000-0000-000000000000").status_code == 404
    response = post(api, rent_signal(2))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert EarlySignal.objects.count() == 1


def test_a_batch_answers_per_signal(api, world):
    post(api, rent_signal(9))
    missing = rent_signal(3)
    missing["huurvoorwaarden"]["geenBezwaarTegenDoorgifte"] = None
    batch = [
        rent_signal(1),
        rent_signal(
            2, persoon={"postcode": "nope", "huisnummer": 1, "geboortedatum": "1990-01-01"}
        ),
        missing,
        rent_signal(9),
        rent_signal(1),
        "not a signal",
    ]
    response = post(api, {"vroegsignalen": batch})
    assert response.status_code == 200
    results = response.json()["resultaten"]
    assert [r["status"] for r in results] == [201, 400, 422, 200, 200, 400]
    assert [r["index"] for r in results] == list(range(6))
    assert results[1]["probleem"]["errors"][0]["field"] == "persoon.postcode"
    assert results[2]["probleem"]["code"] == "partners.precondition_missing"
    assert results[4]["vroegsignaal"]["id"] == results[0]["vroegsignaal"]["id"]
    assert EarlySignal.objects.count() == 2


def test_a_batch_holds_1_to_1000_signals(api, settings):
    settings.MAATWERK_EARLY_SIGNAL_BATCH_MAX = 3
    too_many = post(api, {"vroegsignalen": [rent_signal(n) for n in range(4)]})
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["field"] == "vroegsignalen"
    assert post(api, {"vroegsignalen": []}).status_code == 400
    assert not EarlySignal.objects.exists()


def test_ingestion_keeps_a_fixed_number_of_queries_per_batch(api, world):
    # An earlier handled signal, so the repeat lookup finds something.
    handle(world, post(api, rent_signal(0, signaaldatum="2026-10-01")).json()["id"])

    def batch(first, size):
        signals = []
        for n in range(first, first + size):
            s = rent_signal(n, bedrag=900 + n % 2)
            s["persoon"] = {**s["persoon"], "huisnummer": 1 + n % 7}
            signals.append(s)
        return {"vroegsignalen": signals}

    insert = f'INSERT INTO "{EarlySignal._meta.db_table}"'
    fields = [f for f in EarlySignal._meta.concrete_fields if not f.primary_key]
    counts = []
    for first, size in ((1, 5), (100, 50), (1000, 200)):
        with CaptureQueriesContext(connection) as queries:
            response = post(api, batch(first, size))
        assert all(r["status"] == 201 for r in response.json()["resultaten"])
        inserts = [q for q in queries if q["sql"].startswith(insert)]
        # One INSERT for the batch; SQLite's limit of 999 parameters splits it (PostgreSQL not).
        rows = connection.ops.bulk_batch_size(fields, [None] * size)
        assert len(inserts) == -(-size // rows)
        counts.append(len(queries) - len(inserts))
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 10, counts


def test_feedback_shows_only_the_partner_visible_result(api, world):
    created = post(api, rent_signal()).json()
    url = f"{URL}/{created['id']}"
    response = api.get(url)
    assert response.status_code == 200 and response["API-Version"] == "1.0.0"
    assert response.json() == created
    for status, shown in [
        (Status.PICKED_UP, "opgepakt"),
        (Status.UNJUSTIFIED, "niet_opgepakt_onterecht_signaal"),
        (Status.OTHER_REASON, "niet_opgepakt"),
        (Status.DECEASED, "niet_opgepakt"),
        (Status.NOT_RESIDENT, "niet_opgepakt"),
    ]:
        handle(world, created["id"], status)
        body = api.get(url).json()
        assert body["status"] == shown
        text = str(body).lower()
        assert "overleden" not in text and "reden" not in text and "8881" not in text


def test_a_partner_never_sees_another_partners_signal(api, world):
    other = bearer(make_partner(world, type=PartnerType.WATER, name="Waterbedrijf"), world)
    signal = rent_signal()
    del signal["huurvoorwaarden"]
    theirs = post(other, signal).json()["id"]
    response = api.get(f"{URL}/{theirs}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert api.get(f"{URL}/not-a-uuid").status_code == 404


def test_receiving_is_audited_without_personal_data(api, partner):
    created = post(api, rent_signal()).json()
    event = AuditEvent.objects.get(object_type="partners.earlysignal", action="create")
    assert event.actor is None and event.organisation_id == partner.organisation_id
    assert event.changes["signals"] == [created["id"]]
    assert "8881" not in str(event.changes) and "1980" not in str(event.changes)


def test_only_a_case_role_of_the_municipality_records_a_result(api, world):
    created = post(api, rent_signal()).json()
    signal = EarlySignal.objects.get(public_id=created["id"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_status(actor=world["users"][Role.ADMIN], signal=signal, status="picked_up")
    outsider = world["team_b"]
    from ..factories import user_with_role

    with pytest.raises(PermissionDenied):
        services.set_status(
            actor=user_with_role(Role.WORKER, outsider), signal=signal, status="picked_up"
        )
    assert timezone.now() - signal.received_at < timedelta(minutes=1)
