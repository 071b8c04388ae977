import pytest

from maatwerk.accounts.roles import Role
from maatwerk.cooperation import services
from maatwerk.cooperation.models import ContactPoint, DirectoryCategory, ExternalOrganisation
from maatwerk.core.choices import OrganisationType

from ..factories import user_with_role


@pytest.fixture
def toeslagen(db):
    """An organisation in the directory, with a contact point, as the administrator adds it."""
    organisation = ExternalOrganisation.objects.create(
        name="Belastingdienst/Toeslagen",
        organisation_type=OrganisationType.TAX_ALLOWANCES,
        category=DirectoryCategory.COOPERATION,
    )
    ContactPoint.objects.create(
        organisation=organisation, department="BelastingTelefoon", channel="phone"
    )
    return organisation


@pytest.fixture
def admin_user(world):
    return world["users"][Role.ADMIN]


@pytest.fixture
def worker(world):
    return world["users"][Role.WORKER]


@pytest.fixture
def coop(world, worker, toeslagen):
    """A draft request with consent, on the case of the worker's team."""
    return services.create_request(
        worker,
        case=world["case_a"],
        organisation=toeslagen,
        question="Stop de verrekening van de kinderopvangtoeslag.",
        consent_on=_today(),
        consent_scope="Naam en beschikking kinderopvangtoeslag.",
    )


@pytest.fixture
def other_worker(world):
    return user_with_role(Role.WORKER, world["team_b"])


def _today():
    from django.utils import timezone

    return timezone.localdate()
