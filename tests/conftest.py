import pytest
from django.core.cache import cache

from maatwerk.accounts.roles import Role

from .factories import CaseFactory, ResidentFactory, TeamFactory, user_with_role


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"
    # Real hashing costs ~0.3 s a password; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log in with plain passwords; lock-out is tested on its own.
    settings.AXES_ENABLED = True
    # Cached pages are keyed by database state; rolled-back tests can repeat ids, so start clean.
    cache.clear()


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def other_team(db):
    return TeamFactory()


@pytest.fixture
def world(db):
    """Two teams in two organisations, one user per role in the first, a case in each team."""
    team_a = TeamFactory(name="Wijkteam A")
    team_b = TeamFactory(name="Wijkteam B")
    users = {role: user_with_role(role, team_a) for role in Role}
    case_a = CaseFactory(household__team=team_a)
    ResidentFactory(household=case_a.household, first_name="Geheimnaam")
    case_b = CaseFactory(household__team=team_b)
    case_a.assigned_workers.add(users[Role.WORKER])
    return {"team_a": team_a, "team_b": team_b, "users": users, "case_a": case_a, "case_b": case_b}
