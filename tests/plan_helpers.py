"""Submitted plans as production makes them: built through the plan services and submitted
through `decisions.services.submit_plan`, never saved in a submitted state directly."""

from django.urls import reverse

from maatwerk.decisions import selectors, services
from maatwerk.decisions.models import MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.plans.models import Plan


def configure_mandates(organisation) -> None:
    """The organisation configures the mandates of the issue's example."""
    MandateSetting.objects.bulk_create(
        MandateSetting(organisation=organisation, role=m.role, amount=m.amount)
        for m in selectors.DEFAULT_MANDATES.values()
    )


def home_page(client, user) -> str:
    """The start page as `user` sees it."""
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def submitted_plan(case, author, amount, **kwargs) -> Plan:
    """A complete plan, built and submitted through the services a worker's clicks call."""
    plan = complete_plan(author, case, "0" if amount is None else amount, **kwargs)
    services.submit_plan(author, plan)
    plan.refresh_from_db()
    return plan
