"""The demo data (walkthrough findings): lifecycle plans only on ordinary cases the demo worker
works on, never on the new registrations; a case lists each blocking rule once, however many
demo plans solve it; loading twice changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from maatwerk.cases.models import Case, Obstacle
from maatwerk.plans.models import Plan


def _state():
    return (
        sorted(Plan.objects.values_list("case__household__reference", "status")),
        Obstacle.objects.count(),
    )


@pytest.mark.django_db
def test_lifecycle_plans_on_ordinary_cases_and_each_rule_once_per_case():
    call_command("load_demo", stdout=StringIO())
    first = _state()
    call_command("load_demo", stdout=StringIO())
    assert _state() == first  # idempotent

    intake = Case.objects.filter(household__reference__startswith="DEMO-N")
    assert intake.count() == 3
    assert not Plan.objects.filter(case__in=intake).exists()
    assert not Obstacle.objects.filter(case__in=intake).exists()

    statuses = set(Plan.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "rejected", "withdrawn", "partly_paid", "paid", "closed"} <= (
        statuses
    )
    for case in Case.objects.filter(plans__isnull=False).distinct():
        rules = Counter(o.rule_name for o in case.obstacles.select_related("blocking_rule"))
        assert all(n == 1 for n in rules.values()), (case.household.reference, rules)
    demo1 = Case.objects.get(household__reference="DEMO-0001")
    assert demo1.obstacles.count() == 1 and demo1.plans.count() == 3
    # An energy case gets the energy rule, not the childcare allowance.
    for case in Case.objects.filter(title__startswith="Energieleverancier", plans__isnull=False):
        assert {o.blocking_rule.code for o in case.obstacles.all()} == {"ENERGIE-AFSLUITING"}
