"""API for decisions: the inbox, deciding (approve/reject/consult/escalate), MDT consultations,
the budget overview and a budget's ledger. The same services and rules as the pages."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.accounts.selectors import has_role
from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit
from maatwerk.core import dates
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans.api import SUBMIT_REFUSED_EXAMPLE, PlanDetailSerializer, PlanListSerializer
from maatwerk.plans.models import Plan

from . import selectors, services
from .models import Budget, DecisionStep


class HoldsBudgets(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, *selectors.BUDGET_ROLES)


class InboxItemSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    team = serializers.CharField(source="plan.case.team.name")
    amount_requested = serializers.DecimalField(
        source="plan.amount_requested", max_digits=12, decimal_places=2, allow_null=True
    )
    role = serializers.CharField(source="assigned_role")
    body = serializers.CharField(source="assigned_body")
    routed_at = serializers.DateTimeField(source="opened_at")
    deadline = serializers.DateField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, step) -> bool:
        return selectors.is_overdue(step)


class DecideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=services.DECIDE_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class StepSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    outcome = serializers.CharField()
    role = serializers.CharField(source="assigned_role")
    body = serializers.CharField(source="assigned_body")
    deadline = serializers.DateField()
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ConsultationSerializer(serializers.Serializer):
    date = serializers.DateField(validators=[dates.PLANNED_DATE])
    question = serializers.CharField(max_length=4000)
    participants = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    advice = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    decided_with_it = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class BudgetRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="budget.pk")
    organisation = serializers.CharField(source="budget.organisation.name")
    team = serializers.CharField(source="budget.team.name", allow_null=True, default=None)
    year = serializers.IntegerField(source="budget.year")
    budget = serializers.DecimalField(source="budget.amount", max_digits=12, decimal_places=2)
    committed = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    available = serializers.DecimalField(max_digits=12, decimal_places=2)


class LedgerEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(
        source="plan_id", allow_null=True, help_text="Empty for a collective approach's entry."
    )
    collective_approach = serializers.IntegerField(
        source="collective_approach_id", allow_null=True, help_text="Empty for a plan's entry."
    )
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    payee = serializers.CharField(
        help_text="To whom it was paid; after destruction of the case, that it was removed."
    )
    payee_kind = serializers.CharField(
        help_text="organisation or person (a private person); empty: not recorded."
    )
    in_kind = serializers.BooleanField()
    refers_to = serializers.IntegerField(source="refers_to_id", allow_null=True)
    paid_on = serializers.DateField(allow_null=True, help_text="The day a payment was made.")
    created_at = serializers.DateTimeField()


class DeciderSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class SubmittedSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan_id")
    level = serializers.CharField(source="level_label")
    role = serializers.CharField(source="assigned_role")
    body = serializers.CharField(source="assigned_body")
    department = serializers.CharField(source="department.name", allow_null=True, default=None)
    deadline = serializers.DateField()
    deciders = serializers.SerializerMethodField()

    @extend_schema_field(DeciderSerializer(many=True))
    def get_deciders(self, step):
        return DeciderSerializer(selectors.step_deciders(step), many=True).data


class SubmitView(APIView):
    """Submit a plan whose value triangle is complete; it is routed to its deciders.

    Refused with 400 and, per corner of the value triangle (legitimacy, involvement, return),
    what is missing; or with a code (`no_mandates`, `no_decider`, `no_level`) when nobody can
    decide the plan. On success the calculation is frozen as a snapshot and the answer names
    who decides and by when."""

    permission_classes = [SecondFactorPassed, WorksOnCases]

    @extend_schema(
        tags=["plans"],
        request=None,
        responses={200: PlanDetailSerializer, 400: dict},
        examples=[
            OpenApiExample(
                "Refused: corners incomplete",
                value=SUBMIT_REFUSED_EXAMPLE,
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request, pk: int):
        plan = plan_selectors.visible_plans(request.user).filter(pk=pk).first()
        if plan is None:
            raise Http404
        # A refusal (plans.incomplete per corner, decisions.no_decider, …) or a
        # PermissionDenied is answered as a problem by api.exceptions.
        step = services.submit_plan(request.user, plan)
        detail = plan_selectors.plan_detail(request.user, pk)
        data = dict(PlanDetailSerializer(detail, context={"request": request}).data)
        data["decision"] = SubmittedSerializer(step).data
        return Response(data)


class InboxView(APIView):
    """Plans awaiting my decision."""

    permission_classes = [SecondFactorPassed, WorksOnCases]

    @extend_schema(responses=InboxItemSerializer(many=True))
    def get(self, request):
        steps = list(selectors.inbox(request.user))
        audit.record_views(
            actor=request.user, objects=[s.plan for s in steps], reason="decisions inbox (API)"
        )
        return Response(InboxItemSerializer(steps, many=True).data)


def _plan_for(user, pk: int, action: str) -> Plan:
    """The plan routed to `user`; for escalation also a plan of the user's own team."""
    try:
        return selectors.open_step_for(user, pk).plan
    except DecisionStep.DoesNotExist:
        if action == "escalate":
            plan = plan_selectors.visible_plans(user).filter(pk=pk).first()
            if plan is not None:
                return plan
        raise Http404 from None


class DecideView(APIView):
    """Approve, reject (reason required), ask for MDT consultation, or escalate."""

    permission_classes = [SecondFactorPassed, WorksOnCases]

    @extend_schema(request=DecideSerializer, responses=StepSerializer)
    def post(self, request, pk: int):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = data.validated_data["action"]
        reason = data.validated_data["reason"]
        plan = _plan_for(request.user, pk, action)
        step = services.decide(request.user, plan, action, reason)
        return Response(StepSerializer(step).data)


class ConsultView(APIView):
    """Record an MDT consultation on a submitted plan."""

    permission_classes = [SecondFactorPassed, WorksOnCases]

    @extend_schema(request=ConsultationSerializer, responses=ConsultationSerializer)
    def post(self, request, pk: int):
        data = ConsultationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            plan = selectors.open_step_for(request.user, pk).plan
        except DecisionStep.DoesNotExist:
            plan = plan_selectors.visible_plans(request.user).filter(pk=pk).first()
            if plan is None:
                raise Http404 from None
        c = services.consult(request.user, plan, **data.validated_data)
        return Response(ConsultationSerializer(c).data, status=status.HTTP_201_CREATED)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class WithdrawView(APIView):
    """The author withdraws a submitted plan before it is decided (`POST /plans/<id>/withdraw/`).

    Lives with decisions because it closes the open decision step."""

    permission_classes = [SecondFactorPassed, WorksOnCases]

    @extend_schema(
        request=WithdrawSerializer,
        responses={200: PlanListSerializer, 400: dict, 403: dict},
        tags=["plans"],
        summary="Withdraw a submitted plan that is not decided yet (author only)",
    )
    def post(self, request, pk: int):
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_selectors.visible_plans(request.user).filter(pk=pk).first()
        if plan is None:
            raise Http404
        plan = services.withdraw(request.user, plan, reason=data.validated_data["reason"])
        return Response(PlanListSerializer(plan_selectors.plan_list(request.user).get(pk=pk)).data)


class BudgetListView(APIView):
    """Budget, committed, paid and available per budget I hold (`?year=`)."""

    permission_classes = [SecondFactorPassed, HoldsBudgets]

    @extend_schema(responses=BudgetRowSerializer(many=True))
    def get(self, request):
        value = request.query_params.get("year", "")
        year = int(value) if value.isdigit() else timezone.localdate().year
        rows = selectors.budget_rows(selectors.visible_budgets(request.user, year))
        return Response(BudgetRowSerializer(rows, many=True).data)


class LedgerView(APIView):
    """The ledger entries of one budget."""

    permission_classes = [SecondFactorPassed, HoldsBudgets]

    @extend_schema(responses=LedgerEntrySerializer(many=True))
    def get(self, request, pk: int):
        budget = Budget.objects.filter(pk=pk).first()
        if budget is None or not selectors.manages_budget(request.user, budget):
            raise Http404
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=budget, reason="ledger")
        return Response(LedgerEntrySerializer(selectors.budget_entries(budget), many=True).data)
