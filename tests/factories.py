"""factory_boy factories shared by all tests."""

from datetime import date

import factory

from maatwerk.accounts.models import Membership, Organisation, Team, User
from maatwerk.accounts.roles import TEAM_ROLES, Role
from maatwerk.cases.models import Case, Household, Resident

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Test {n}")
    kind = Organisation.Kind.MUNICIPALITY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Wijkteam {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, team: Team, **kwargs) -> User:
    """A user in `team`'s organisation with `role` (team roles are tied to `team`)."""
    user = UserFactory(organisation=team.organisation, is_staff=role == Role.ADMIN, **kwargs)
    Membership.objects.create(
        user=user,
        organisation=team.organisation,
        team=team if role in TEAM_ROLES else None,
        role=role,
    )
    return user


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    team = factory.SubFactory(TeamFactory)
    reference = factory.Sequence(lambda n: f"HH-{n:06d}")
    neighbourhood_code = "WK999001"


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Bewoner{n}")
    birth_date = date(1990, 5, 17)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    household = factory.SubFactory(HouseholdFactory)
    team = factory.SelfAttribute("household.team")
    title = "Huurachterstand"
    goal = "In mijn huis blijven wonen."
    opened_on = date(2026, 10, 1)
