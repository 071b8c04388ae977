import pytest
from rest_framework.test import APIClient

from maatwerk.accounts.roles import Role
from maatwerk.api import services as api_services
from maatwerk.partners import services
from maatwerk.partners.models import PartnerType

# Valid by the eleven-test (and used nowhere else).
BSN = "111222333"


def make_partner(world, *, type=PartnerType.RENT, name="Woonstichting De Wadden", **values):
    admin = world["users"][Role.ADMIN]
    return services.create_partner(
        actor=admin, organisation=world["team_a"].organisation, name=name, type=type, **values
    )


def bearer(partner, world) -> APIClient:
    admin = world["users"][Role.ADMIN]
    secret = api_services.issue_token(actor=admin, client=partner.api_client)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


@pytest.fixture
def partner(world):
    return make_partner(world)


@pytest.fixture
def api(partner, world):
    return bearer(partner, world)


def rent_signal(n: int = 1, **overrides) -> dict:
    signal = {
        "partnerSignaalId": f"WS-{n:05d}",
        "soortSignaal": "vroeg",
        "crisissignaal": False,
        "warmeOverdracht": False,
        "bedrag": 900,
        "ontstaansdatum": "2026-08-01",
        "signaaldatum": "2026-11-02",
        "huurvoorwaarden": {
            "herinneringVerstuurdOp": "2026-10-01",
            "persoonlijkContactGezocht": True,
            "gewezenOpSchuldhulpverlening": True,
            "geenBezwaarTegenDoorgifte": True,
        },
        "persoon": {
            "postcode": "8881 AB",
            "huisnummer": 12,
            "huisnummertoevoeging": "a",
            "geboortedatum": "1980-05-17",
        },
        "contactgegevens": {"telefoonnummer": "06 12345678", "email": "huurder@example.nl"},
    }
    signal.update(overrides)
    return signal
