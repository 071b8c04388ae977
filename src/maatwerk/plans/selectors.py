"""Reads of plans, with need-to-know applied through the case's team."""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from maatwerk.accounts.selectors import case_team_ids
from maatwerk.cases.models import Obstacle
from maatwerk.cases.selectors import may_write as may_write_case
from maatwerk.costs import calculations
from maatwerk.costs import selectors as costs_selectors
from maatwerk.legal.models import BlockingRuleEscape, Provision

from . import lifecycle, triangle
from .models import Plan, PlanProvision, Scenario, ScenarioLine


def visible_plans(user) -> QuerySet[Plan]:
    """Plans of cases the user may see (the case's team is one of the user's teams)."""
    return Plan.objects.filter(case__team_id__in=case_team_ids(user))


def plan_list(user, *, case=None, status: str = "") -> QuerySet[Plan]:
    qs = visible_plans(user).select_related("case__household", "case__team", "author")
    if case is not None:
        qs = qs.filter(case=case)
    if status:
        qs = qs.filter(status=status)
    return qs


def drafts_by_case(user, case_ids) -> dict[int, list[Plan]]:
    """The draft plans of these cases that `user` sees, per case id (oldest first)."""
    out: dict[int, list[Plan]] = {}
    for plan in (
        visible_plans(user).filter(case_id__in=case_ids, status=Plan.Status.DRAFT).order_by("pk")
    ):
        out.setdefault(plan.case_id, []).append(plan)
    return out


def plan_detail(user, pk: int) -> Plan:
    """One plan with everything its pages show; raises Plan.DoesNotExist for plans the user may
    not see, so views answer 404."""
    return with_details(visible_plans(user)).get(pk=pk)


def with_details(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """`plans` with everything the plan pages and the plan document show. Applies no access
    rule: callers pass plans they already limited (the decision page passes the plan routed to
    its decider, who may not see the case itself)."""
    return plans.select_related(
        "case__household", "case__team", "author", "submitted_by"
    ).prefetch_related(
        Prefetch(
            "obstacles",
            queryset=Obstacle.objects.select_related("blocking_rule__basis_provision__law"),
        ),
        Prefetch(
            "plan_provisions",
            queryset=PlanProvision.objects.select_related("provision__law"),
        ),
        Prefetch("lines", queryset=ScenarioLine.objects.select_related("cost_item")),
    )


def versions(plan: Plan) -> list[Plan]:
    """Every version of `plan`, oldest first (revisions of one plan stay in one case, so the
    user who sees one version sees them all). A few queries: versions are few."""
    chain = [plan]
    while chain[0].previous_version_id:
        chain.insert(0, Plan.objects.get(pk=chain[0].previous_version_id))
    while (newer := Plan.objects.filter(previous_version_id=chain[-1].pk).first()) is not None:
        chain.append(newer)
    return chain


def suggested_provisions(plan: Plan) -> list[Provision]:
    """The escape provisions of the blocking rules behind the plan's obstacles, in order."""
    routes = (
        BlockingRuleEscape.objects.filter(rule__obstacles__plans=plan)
        .select_related("provision__law")
        .order_by("rule__obstacles__id", "position", "id")
    )
    seen: set[int] = set()
    result = []
    for route in routes:
        if route.provision_id not in seen:
            seen.add(route.provision_id)
            result.append(route.provision)
    return result


def lines_of(plan: Plan, scenario: str) -> list[ScenarioLine]:
    return sorted(
        (line for line in plan.lines.all() if line.scenario == scenario),
        key=lambda line: (line.position, line.pk or 0),
    )


def line_groups(plan: Plan, outcome, user=None) -> list[tuple[str, list[ScenarioLine]]]:
    """Both routes' lines, each with ``grade``: the reliability grade the calculation
    (`outcome`, or None) priced it at — its catalogue price's, C (indicative) for an amount of
    one's own, "" for a catalogue line when the calculation cannot be made — and
    ``current_price``: a draft's catalogue line without an amount of its own takes the
    catalogue's current price (priced for `user` when there is no calculation), else None."""
    items = outcome.items if outcome is not None else {}
    if outcome is None and user is not None and plan.is_draft:
        ids = {x.cost_item_id for x in plan.lines.all() if x.cost_item_id is not None}
        if ids:
            rows_ = costs_selectors.priced(
                costs_selectors.items_for(user).filter(pk__in=ids), year=plan.price_year
            )
            items = {row.item.pk: row for row in rows_}
    groups = []
    for scenario in Scenario.values:
        rows = lines_of(plan, scenario)
        for line in rows:
            priced = items.get(line.cost_item_id)
            line.grade = priced.version.grade if priced else ("" if line.cost_item_id else "C")
            line.current_price = (
                priced.indexed_amount
                if priced is not None and line.amount is None and plan.is_draft
                else None
            )
        groups.append((scenario, rows))
    return groups


def line_request(line: ScenarioLine) -> calculations.LineRequest:
    return calculations.LineRequest(
        item_id=line.cost_item_id,
        label=line.label,
        amount=line.amount,
        unit=line.unit or None,
        bearer=line.bearer or None,
        cost_type=line.cost_type or None,
        quantity=line.quantity,
        start_month=line.start_month,
        duration_months=line.duration_months,
        probability=line.probability,
    )


def calculation_request(plan: Plan) -> calculations.CalculationRequest:
    return calculations.CalculationRequest(
        standard=tuple(line_request(x) for x in lines_of(plan, Scenario.STANDARD)),
        tailored=tuple(line_request(x) for x in lines_of(plan, Scenario.TAILORED)),
        horizon_months=plan.horizon_months,
        discount_rate=Decimal(plan.discount_rate),
        price_year=plan.price_year,
    )


def outcome(user, plan: Plan) -> tuple[calculations.Outcome | None, list[str]]:
    """The plan's calculation, or None with the problems when it cannot be made."""
    request = calculation_request(plan)
    if not request.standard or not request.tailored:
        return None, []
    try:
        return calculations.calculate(user, request), []
    except calculations.CalculationError as e:
        return None, [str(m) for messages in e.errors.values() for m in messages]


def forgone_total(user, plan: Plan) -> Decimal | None:
    """What the tailored route's forgone lines come to over the horizon (None without any):
    income a bearer does not take, counted as its cost, never paid from the budget."""
    forgone = tuple(line_request(x) for x in lines_of(plan, Scenario.TAILORED) if x.is_forgone)
    if not forgone:
        return None
    try:
        result = calculations.calculate(
            user,
            calculations.CalculationRequest(
                standard=forgone,
                tailored=forgone,
                horizon_months=plan.horizon_months,
                discount_rate=Decimal(plan.discount_rate),
                price_year=plan.price_year,
            ),
        )
    except calculations.CalculationError:
        return None
    return result.result.tailored.total


# The maatwerkbudget is the municipality's (a welfare organisation's teams work under one), so
# the amount a plan requests is compared with what its tailored route costs the municipality.
BUDGET_BEARER = "municipality"


def budget_cost_of(
    user,
    payments: tuple[calculations.LineRequest, ...],
    *,
    horizon_months: int,
    discount_rate: Decimal,
    price_year: int | None,
) -> Decimal | None:
    """What `payments` (the tailored route's lines that are paid, not forgone) cost the budget
    bearer over the horizon; None when they cannot be calculated."""
    if not payments:
        return Decimal(0)
    try:
        result = calculations.calculate(
            user,
            calculations.CalculationRequest(
                standard=payments,
                tailored=payments,
                horizon_months=horizon_months,
                discount_rate=discount_rate,
                price_year=price_year,
            ),
        ).result
    except calculations.CalculationError:
        return None
    return dict(result.tailored.by_bearer).get(BUDGET_BEARER, Decimal(0))


def budget_cost(user, plan: Plan) -> Decimal | None:
    """What the plan's tailored route costs the budget bearer (None without tailored lines)."""
    tailored = lines_of(plan, Scenario.TAILORED)
    if not tailored:
        return None
    return budget_cost_of(
        user,
        tuple(line_request(x) for x in tailored if not x.is_forgone),
        horizon_months=plan.horizon_months,
        discount_rate=Decimal(plan.discount_rate),
        price_year=plan.price_year,
    )


def triangle_input(
    plan: Plan,
    *,
    calculation_ok: bool,
    provision_explanations: tuple[str, ...] | None = None,
    budget_cost: Decimal | None = None,
) -> triangle.TriangleInput:
    """The triangle's input from the stored plan; `provision_explanations` stands in for the
    stored provisions where a page shows others (the edit form preselects the suggested ones)."""
    tailored = lines_of(plan, Scenario.TAILORED)
    if provision_explanations is None:
        provision_explanations = tuple(p.explanation for p in plan.plan_provisions.all())
    return triangle.TriangleInput(
        provision_explanations=provision_explanations,
        goal=plan.case.goal,
        resident_words=plan.resident_words,
        agreement=plan.agreement,
        agreement_date=plan.agreement_date,
        agreement_how=plan.agreement_how,
        standard_lines=len(lines_of(plan, Scenario.STANDARD)),
        tailored_lines=len(tailored),
        calculation_ok=calculation_ok,
        tailored_forgone_only=bool(tailored) and all(x.is_forgone for x in tailored),
        amount_requested=plan.amount_requested,
        budget_cost=budget_cost,
        amount_reason=plan.amount_reason,
        solution_kind=plan.solution_kind,
    )


def assess(
    user, plan: Plan, *, provision_explanations: tuple[str, ...] | None = None
) -> tuple[triangle.Triangle, calculations.Outcome | None, list[str]]:
    """The triangle, the calculation and its problems, computed once for a page or the API
    (`provision_explanations`: see `triangle_input`)."""
    result, problems = outcome(user, plan)
    return (
        triangle.assess(
            triangle_input(
                plan,
                calculation_ok=result is not None,
                provision_explanations=provision_explanations,
                budget_cost=budget_cost(user, plan) if result is not None else None,
            )
        ),
        result,
        problems,
    )


def lifecycle_actions(user, plan: Plan, plan_versions: list[Plan]) -> dict[str, bool]:
    """Which lifecycle buttons the plan page shows `user`: the same conditions the services
    check (withdraw by the author while submitted; revise a rejected or withdrawn plan that has
    no newer version; close from the closable statuses), all for writers of the case's team."""
    writer = may_write_case(user, plan.case)
    return {
        "may_write": writer,
        "may_withdraw": writer
        and plan.status == Plan.Status.SUBMITTED
        and user.pk == plan.author_id,
        "may_revise": writer and plan.status in lifecycle.REVISABLE and plan_versions[-1] == plan,
        "may_close": writer and plan.status in lifecycle.CLOSABLE,
    }
