"""Approved plans with their follow-ups for the benchmark data set (`generate_data`, issue 13).

One in `PLAN_EVERY` generated cases (household number divisible by it) gets an approved plan,
cloned from a template: the first demo plan that was approved through the services (its
calculation snapshot, lines, decision step and obstacle rule are copied, so the pages and the
cohorts read what the services would have written). Per plan: the approval 0–2 years before
`REFERENCE_DATE`, a commitment and a payment in the team's budget of that year, the three
follow-ups; those due by `REFERENCE_DATE` are recorded (one in ten not measured, the others
with one or two coded outcomes), and a plan whose three are recorded is closed and releases
what it did not spend. Later follow-ups stay scheduled: some are due today, as on a real start
page.

Deterministic (a generator seeded per household number) and topping up: only generated cases
without a plan get one. Bulk inserts, no audit events: a benchmark fixture, never a way to
enter plans.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maatwerk.accounts.models import Membership
from maatwerk.accounts.roles import Role
from maatwerk.cases import grouping
from maatwerk.cases.models import Case, Obstacle
from maatwerk.decisions.models import Budget, DecisionStep, LedgerEntry, LedgerEntryDetail
from maatwerk.followup import rules
from maatwerk.followup import services as followup_services
from maatwerk.followup.models import FollowUp, Outcome
from maatwerk.legal.models import BlockingRule
from maatwerk.plans.models import CalculationSnapshot, Plan, ScenarioLine

PLAN_EVERY = 20
NOT_MEASURED_SHARE = 0.1
MOMENTS = ((rules.END_OF_ACTION, 0), (rules.PLUS_6, 6), (rules.PLUS_12, 12))
CODES = [c for c, _label in Outcome.Code.choices]
REASONS = [r for r, _label in FollowUp.Reason.choices]
# As followup.services books it on a plan closed after its last follow-up.
RELEASE_NOTE = "Vrijgevallen bij het afsluiten na het laatste vervolgmoment."


def _clone(obj, **overrides):
    data = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    data.update(overrides)
    return type(obj)(**data)


def template_plan() -> Plan | None:
    """The first plan approved through the services that has a frozen calculation."""
    return (
        Plan.objects.filter(
            snapshots__isnull=False,
            decisions__outcome=DecisionStep.Outcome.APPROVE,
            previous_version__isnull=True,
        )
        .order_by("id")
        .first()
    )


def missing(prefix: str) -> list[tuple[int, int, int]]:
    """(household number, case id, team id) of generated cases due a plan and without one."""
    rows = (
        Case.objects.filter(household__reference__startswith=prefix, plans__isnull=True)
        .values_list("household__reference", "id", "team_id")
        .order_by("id")
    )
    found = []
    for reference, case_id, team_id in rows.iterator(chunk_size=10_000):
        n = int(reference.removeprefix(prefix))
        if n % PLAN_EVERY == 0:
            found.append((n, case_id, team_id))
    return found


class PlanGenerator:
    def __init__(self, seed: int, reference_date, template: Plan):
        self.seed = seed
        self.reference_date = reference_date
        self.template = template
        self.snapshot = template.snapshots.order_by("-created_at", "-id").first()
        self.lines = list(template.lines.all())
        self.step = (
            DecisionStep.objects.filter(plan=template, outcome=DecisionStep.Outcome.APPROVE)
            .order_by("-decided_at")
            .first()
        )
        self.rules = list(BlockingRule.objects.order_by("id")[:6]) or [None]
        self.budgets: dict[tuple[int, int], int] = {}
        self.people: dict[int, tuple[int, int]] = {}

    def _budget(self, team_id: int, organisation_id: int, year: int) -> int:
        key = (team_id, year)
        if key not in self.budgets:
            budget, _ = Budget.objects.get_or_create(
                organisation_id=organisation_id,
                team_id=team_id,
                year=year,
                defaults={"amount": Decimal("1000000.00")},
            )
            self.budgets[key] = budget.pk
        return self.budgets[key]

    def _people(self, team_id: int) -> tuple[int, int]:
        """(a worker, the deciding team lead or the template's decider) of the team."""
        if team_id not in self.people:
            ids = dict(
                Membership.objects.filter(team_id=team_id, role__in=[Role.WORKER, Role.TEAM_LEAD])
                .order_by("role", "id")
                .values_list("role", "user_id")
            )
            worker = ids.get(Role.WORKER, self.template.author_id)
            self.people[team_id] = (worker, ids.get(Role.TEAM_LEAD, self.step.decided_by_id))
        return self.people[team_id]

    @transaction.atomic
    def batch(self, rows: list[tuple[int, int, int]]) -> int:
        cases = {
            c.pk: c
            for c in Case.objects.filter(pk__in=[r[1] for r in rows])
            .select_related("team")
            .prefetch_related("assigned_workers")
        }
        tz = timezone.get_current_timezone()
        plans, obstacles, specs = [], [], []
        for n, case_id, team_id in rows:
            rng = random.Random(f"{self.seed}:plan:{n}")
            case = cases[case_id]
            assigned = [u.pk for u in case.assigned_workers.all()]
            worker, lead = self._people(team_id)
            worker = assigned[0] if assigned else worker
            approved_on = self.reference_date - timedelta(days=rng.randint(0, 2 * 365))
            approved_at = datetime.combine(approved_on, time(10), tz)
            amount = self.template.amount_requested
            paid = (
                amount
                if rng.random() < 0.7
                else (amount * Decimal("0.75")).quantize(Decimal("0.01"))
            )
            rule = self.rules[n % len(self.rules)]
            obstacles.append(
                Obstacle(
                    case=case,
                    blocking_rule=rule,
                    description_new_rule="" if rule else "Een regel die nog niet in de bank staat.",
                    applied_by=rule.applied_by if rule else "municipality",
                    effect="De toeslag wordt verrekend.",
                    created_by_id=worker,
                )
            )
            plans.append(
                _clone(
                    self.template,
                    case_id=case_id,
                    author_id=worker,
                    submitted_by_id=worker,
                    submitted_at=approved_at - timedelta(days=3),
                    status=Plan.Status.PAID if paid == amount else Plan.Status.PARTLY_PAID,
                    previous_version_id=None,
                    version=1,
                    closed_at=None,
                    closed_by_id=None,
                    close_reason="",
                )
            )
            specs.append((rng, case, worker, lead, approved_on, approved_at, amount, paid))
        grouping.apply(obstacles, grouping.for_cases({o.case_id for o in obstacles}))
        Obstacle.objects.bulk_create(obstacles)
        Plan.objects.bulk_create(plans)
        through = Plan.obstacles.through
        through.objects.bulk_create(
            [through(plan_id=p.pk, obstacle_id=o.pk) for p, o in zip(plans, obstacles, strict=True)]
        )
        ScenarioLine.objects.bulk_create(
            [_clone(line, plan_id=p.pk) for p in plans for line in self.lines]
        )
        CalculationSnapshot.objects.bulk_create(
            [_clone(self.snapshot, plan_id=p.pk) for p in plans]
        )
        steps, commitments = [], []
        for plan, (_rng, case, _w, lead, _on, approved_at, amount, _paid) in zip(
            plans, specs, strict=True
        ):
            steps.append(
                _clone(
                    self.step,
                    plan_id=plan.pk,
                    organisation_id=case.team.organisation_id,
                    team_id=case.team_id,
                    opened_at=approved_at - timedelta(days=3),
                    deadline=approved_at.date() + timedelta(days=11),
                    decided_by_id=lead,
                    decided_at=approved_at,
                )
            )
            commitments.append(
                LedgerEntry(
                    budget_id=self._budget(
                        case.team_id, case.team.organisation_id, approved_at.year
                    ),
                    plan_id=plan.pk,
                    kind=LedgerEntry.Kind.COMMITMENT,
                    amount=amount,
                    created_by_id=lead,
                )
            )
        DecisionStep.objects.bulk_create(steps)
        LedgerEntry.objects.bulk_create(commitments)
        payments, followups, outcomes, closing = [], [], [], []
        for plan, commitment, spec in zip(plans, commitments, specs, strict=True):
            rng, case, worker, lead, approved_on, _at, amount, paid = spec
            paid_on = approved_on + timedelta(days=rng.randint(0, 30))
            payments.append(
                LedgerEntry(
                    budget_id=commitment.budget_id,
                    plan_id=plan.pk,
                    kind=LedgerEntry.Kind.PAYMENT,
                    amount=paid,
                    paid_on=min(paid_on, self.reference_date),
                    refers_to_id=commitment.pk,
                    payee_kind=LedgerEntry.PayeeKind.ORGANISATION,
                    created_by_id=lead,
                )
            )
            recorded = 0
            for moment, months in MOMENTS:
                due = rules.add_months(approved_on, months)
                followup = FollowUp(plan_id=plan.pk, moment=moment, due_on=due)
                if due <= self.reference_date:
                    recorded += 1
                    on = min(due + timedelta(days=rng.randint(0, 14)), self.reference_date)
                    followup.status = FollowUp.Status.RECORDED
                    followup.recorded_on = on
                    followup.recorded_at = datetime.combine(on, time(11), approved_at.tzinfo)
                    followup.recorded_by_id = worker
                    if rng.random() < NOT_MEASURED_SHARE:
                        followup.measured = FollowUp.Measured.NOT_MEASURED
                        followup.not_measured_reason = rng.choice(REASONS)
                    else:
                        followup.measured = FollowUp.Measured.YES
                        codes = rng.sample(CODES, rng.randint(1, 2))
                        since = approved_on + timedelta(days=rng.randint(0, 120))
                        outcomes.append((followup, [(c, min(since, on)) for c in codes]))
                followups.append(followup)
            if recorded == len(MOMENTS):
                closing.append((plan, commitment, amount - paid))
        LedgerEntry.objects.bulk_create(payments)
        LedgerEntryDetail.objects.bulk_create(
            [LedgerEntryDetail(entry_id=p.pk, payee="Kinderopvang De Boomhut") for p in payments]
        )
        FollowUp.objects.bulk_create(followups)
        Outcome.objects.bulk_create(
            [
                Outcome(followup_id=f.pk, code=code, holds_since=since, text="")
                for f, codes in outcomes
                for code, since in codes
            ]
        )
        releases = [
            LedgerEntry(
                budget_id=commitment.budget_id,
                plan_id=plan.pk,
                kind=LedgerEntry.Kind.RELEASE,
                amount=rest,
                refers_to_id=commitment.pk,
                created_by_id=commitment.created_by_id,
            )
            for plan, commitment, rest in closing
            if rest > 0
        ]
        LedgerEntry.objects.bulk_create(releases)
        LedgerEntryDetail.objects.bulk_create(
            [LedgerEntryDetail(entry_id=r.pk, note=RELEASE_NOTE) for r in releases]
        )
        closed = [plan.pk for plan, _c, _r in closing]
        Plan.objects.filter(pk__in=closed).update(
            status=Plan.Status.CLOSED,
            closed_at=timezone.now(),
            close_reason="Laatste vervolgmoment vastgelegd.",
        )
        # The cohort page sums stored figures: written here, as the services would have.
        followup_services.refresh_cohort_figures_of([plan.pk for plan in plans])
        return len(plans)
