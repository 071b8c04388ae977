"""Worker-facing words on the plan pages (walk finding 8): "de drie toetsen", checklist items
named like the parts of the form they point to, versions named with their plan numbers."""

from django.urls import reverse

from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Obstacle
from maatwerk.decisions import services as decisions
from maatwerk.legal.models import BlockingRule
from maatwerk.plans import services

from ..plan_helpers import configure_mandates, submitted_plan


def test_revision_is_named_with_both_plan_numbers(client, world):
    worker, lead, case = (
        world["users"][Role.WORKER],
        world["users"][Role.TEAM_LEAD],
        world["case_a"],
    )
    configure_mandates(world["team_a"].organisation)
    first = submitted_plan(case, worker, "500")
    decisions.reject(lead, first, "Nog niet.")
    client.force_login(worker)
    response = client.post(reverse("plans:revise", args=[first.pk]), follow=True)
    second = first.next_version
    name = f"Maatwerkplan {second.pk} (versie 2 van plan {first.pk})"
    assert name + " is een nieuw concept." in response.content.decode()
    detail = client.get(reverse("plans:detail", args=[second.pk])).content.decode()
    versions = detail[detail.index('class="om-versions"') :]
    assert name in versions and f"Maatwerkplan {first.pk} (versie 1)" in versions
    assert f"versie 2 van plan {first.pk}" in detail[detail.index('id="plan-status"') :]
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"(versie 2 van plan {first.pk})" in case_page


def test_checklist_names_the_parts_of_the_form_and_the_three_tests(client, world):
    worker, case = world["users"][Role.WORKER], world["case_a"]
    obstacle = Obstacle.objects.create(
        case=case,
        blocking_rule=BlockingRule.objects.get(code="TOESLAG-VERREKEND"),
        applied_by="tax_allowances",
        effect="Verrekend.",
    )
    plan = services.create_plan(worker, case, [obstacle], solution="Iets")
    client.force_login(worker)
    edit = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    summary = edit[edit.index('id="live-summary-body"') : edit.index('id="solution"')]
    assert '<a href="#return">4 De twee routes</a>' in summary
    assert '<a href="#legitimacy">2 Wettelijke grond</a>' in summary
    assert "Maatschappelijk rendement" not in summary
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "alle drie de toetsen compleet" in detail
    assert "hoeken" not in detail and "waardendriehoek" not in detail.lower()
