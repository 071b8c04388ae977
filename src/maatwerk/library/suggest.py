"""Suggestions: the good examples that fit a case or a draft plan, best first, with why.

Order (issue 16, point 4): the same blocking rule first, then the number of shared provisions,
then of shared life domains, then the outcome (a good outcome before an unknown one), then the
newest. The scoring is done by the database over the approved examples the user may see, so a
library of 10,000 examples costs one query, not 10,000 rows in Python; `reasons` turns the
scores into the words shown beside each suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maatwerk.cases.models import Case, CaseLifeDomain, Obstacle
from maatwerk.followup.models import Outcome
from maatwerk.plans.models import Plan, PlanProvision

from . import selectors
from .models import Example, ExampleCostLine, ExampleLifeDomain

# Outcomes that show the plan worked; "still in work" and the resident's own words say less.
POSITIVE_OUTCOMES = frozenset(
    {
        Outcome.Code.EVICTION_PREVENTED,
        Outcome.Code.DEBTS_SETTLED,
        Outcome.Code.BENEFIT_ENDED,
        Outcome.Code.IN_CARE,
    }
)


@dataclass(frozen=True)
class Situation:
    """What a case or a draft plan is about, as the suggestions compare it."""

    case_id: int
    blocking_rule_ids: frozenset[int] = field(default_factory=frozenset)
    provision_ids: frozenset[int] = field(default_factory=frozenset)
    domains: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.blocking_rule_ids or self.provision_ids or self.domains)


@dataclass
class Suggestion:
    example: Example
    reasons: list[str]


def reasons(
    same_rule: bool, shared_provisions: int, shared_domains: int, outcome_code: str
) -> list[str]:
    """Why an example is suggested, in the order that ranked it (pure; shown as a list)."""
    why = []
    if same_rule:
        why.append(_("same blocking rule"))
    if shared_provisions:
        why.append(
            ngettext("%(n)s shared provision", "%(n)s shared provisions", shared_provisions)
            % {"n": shared_provisions}
        )
    if shared_domains:
        why.append(
            ngettext("%(n)s shared life domain", "%(n)s shared life domains", shared_domains)
            % {"n": shared_domains}
        )
    if outcome_code in POSITIVE_OUTCOMES:
        why.append(_("good outcome"))
    return why


def situation_of(source: Case | Plan) -> Situation:
    """The rules, provisions and life domains of a case (its obstacles, its plans' legal bases)
    or of one plan (its own obstacles and legal basis). Three queries at most; a case whose
    obstacles and life domains are prefetched (the case page) costs one."""
    if isinstance(source, Plan):
        case_id = source.case_id
        rules = Obstacle.objects.filter(plans=source).values_list("blocking_rule_id", flat=True)
        provisions = PlanProvision.objects.filter(plan=source)
        domains = CaseLifeDomain.objects.filter(case_id=case_id).values_list("domain", flat=True)
    else:
        case_id = source.pk
        rules = [o.blocking_rule_id for o in source.obstacles.all()]
        provisions = PlanProvision.objects.filter(plan__case_id=case_id)
        domains = [d.domain for d in source.life_domains.all()]
    return Situation(
        case_id=case_id,
        blocking_rule_ids=frozenset(r for r in rules if r is not None),
        provision_ids=frozenset(provisions.values_list("provision_id", flat=True)),
        domains=frozenset(domains),
    )


def case_rules(case: Case) -> frozenset[int]:
    """The blocking rules a case's obstacles name (no query when they are prefetched)."""
    return frozenset(o.blocking_rule_id for o in case.obstacles.all() if o.blocking_rule_id)


def _shared(model, column: str, values) -> Coalesce | Value:
    if not values:
        return Value(0, output_field=IntegerField())
    counted = (
        model.objects.filter(example_id=OuterRef("pk"), **{f"{column}__in": values})
        .values("example_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _count(model) -> Coalesce:
    counted = (
        model.objects.filter(example_id=OuterRef("pk"))
        .values("example_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def suggest_examples(
    source: Case | Plan, user, limit: int = 3, *, situation: Situation | None = None
) -> list[Suggestion]:
    """The `limit` approved examples `user` may see that share most with the case or plan.

    An example drawn from this very case is left out (the team knows it already). Four queries
    (one when the caller passes the `situation` it already read)."""
    situation = situation or situation_of(source)
    if situation.is_empty:
        return []
    rules = situation.blocking_rule_ids
    qs = (
        selectors.visible_examples(user)
        .filter(status=Example.Status.APPROVED)
        .exclude(source_plan__case_id=situation.case_id)
        .annotate(
            same_rule=(
                CaseWhen(When(blocking_rule_id__in=rules, then=Value(1)), default=Value(0))
                if rules
                else Value(0)
            ),
            shared_provisions=_shared(
                Example.provisions.through, "provision_id", situation.provision_ids
            ),
            shared_domains=_shared(ExampleLifeDomain, "domain", situation.domains),
            # What "Copy the structure" would bring (shown beside the button).
            provision_count=_count(Example.provisions.through),
            cost_line_count=_count(ExampleCostLine),
            outcome_rank=CaseWhen(
                When(outcome_code__in=POSITIVE_OUTCOMES, then=Value(2)),
                When(~Q(outcome_code=""), then=Value(1)),
                default=Value(0),
            ),
        )
        .filter(Q(same_rule=1) | Q(shared_provisions__gt=0) | Q(shared_domains__gt=0))
        .select_related("blocking_rule")
        .prefetch_related(None)
        .order_by(
            "-same_rule",
            "-shared_provisions",
            "-shared_domains",
            "-outcome_rank",
            "-reviewed_at",
            "-pk",
        )
    )
    return [
        Suggestion(
            e,
            reasons(bool(e.same_rule), e.shared_provisions, e.shared_domains, e.outcome_code),
        )
        for e in qs[:limit]
    ]
