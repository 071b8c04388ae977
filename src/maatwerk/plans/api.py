"""API of plans: list, read, create and update, with the same access rules as the pages.

Submitting (`plans/<id>/submit/`) routes the plan to its deciders, so it lives in decisions."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit
from maatwerk.cases.selectors import visible_cases
from maatwerk.core import dates
from maatwerk.core.choices import SolutionKind
from maatwerk.costs.api import WORKED_EXAMPLE, LineSerializer
from maatwerk.costs.calculations import MAX_LINES, result_as_dict
from maatwerk.legal.models import Provision

from . import selectors, services
from .messages import missing_by_corner
from .models import LineKind, Plan, Scenario
from .triangle import SOLUTION_KIND


class PlanLineSerializer(LineSerializer):
    """Scenario lines as the stateless calculation takes them, plus what kind of line it is."""

    kind = serializers.ChoiceField(
        choices=LineKind.choices,
        default=LineKind.COST,
        help_text="`forgone_income`: money the bearer does not take (a benefit not reduced, a "
        "debt not recovered); counts as a cost to the bearer, never charged to the budget.",
    )


class PlanProvisionSerializer(serializers.Serializer):
    provision = serializers.PrimaryKeyRelatedField(queryset=Provision.objects.all())
    explanation = serializers.CharField(max_length=2000, allow_blank=True, default="")


class PlanWriteSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False, help_text="Required when creating.")
    obstacles = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        min_length=1,
        max_length=services.MAX_OBSTACLES,
        error_messages={
            "min_length": _("Choose at least one obstacle."),
            "max_length": _("Choose at most {max_length} obstacles."),
        },
    )
    solution = serializers.CharField(max_length=4000, required=False)
    solution_kind = serializers.ChoiceField(
        choices=SolutionKind.choices,
        required=False,
        allow_blank=True,
        help_text="The kind of maatwerk (a coded list), counted by the signals report; a draft may "
        "leave it empty, submission requires it (refused as `plans.incomplete`, field "
        "`solution_kind`).",
    )
    by_whom = serializers.CharField(max_length=200, required=False, allow_blank=True)
    when = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED_DATE])
    amount_requested = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )
    form = serializers.ChoiceField(choices=Plan.Form.choices, required=False, allow_blank=True)
    payee = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Why the amount requested differs from what the tailored route costs the "
        "municipality; needed to submit when they differ.",
    )
    resident_words = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    agreement = serializers.ChoiceField(choices=Plan.Agreement.choices, required=False)
    agreement_date = serializers.DateField(
        required=False, allow_null=True, validators=[dates.EVENT_DATE]
    )
    agreement_how = serializers.ChoiceField(
        choices=Plan.AgreementHow.choices, required=False, allow_blank=True
    )
    provisions = PlanProvisionSerializer(
        many=True, required=False, max_length=services.MAX_PROVISIONS
    )
    standard = PlanLineSerializer(many=True, required=False, max_length=MAX_LINES)
    tailored = PlanLineSerializer(many=True, required=False, max_length=MAX_LINES)
    horizon_months = serializers.IntegerField(min_value=1, max_value=600, required=False)
    discount_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal("0.2"),
        required=False,
        help_text="Real discount rate per year as a fraction (0.0225 = 2.25 %).",
    )
    price_year = serializers.IntegerField(
        min_value=1990, max_value=2100, required=False, allow_null=True
    )

    def validate(self, attrs):
        # DRF turns a Django ValidationError raised here into its own, per field.
        services.validate_solution(
            {k: attrs[k] for k in ("when", "amount_requested") if k in attrs}
        )
        services.validate_agreement(attrs)
        return attrs


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PlanListSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="case.household.reference")
    status_label = serializers.CharField(
        source="get_status_display",
        read_only=True,
        help_text="The status, in the interface language.",
    )

    class Meta:
        model = Plan
        fields = [
            "id", "case", "household", "status", "status_label", "version", "previous_version",
            "amount_requested", "created_at", "submitted_at", "closed_at",
        ]  # fmt: skip


class PlanDetailSerializer(PlanListSerializer):
    obstacles = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    provisions = serializers.SerializerMethodField()
    standard = serializers.SerializerMethodField()
    tailored = serializers.SerializerMethodField()
    triangle = serializers.SerializerMethodField()
    calculation = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()

    class Meta(PlanListSerializer.Meta):
        fields = [
            *PlanListSerializer.Meta.fields,
            "obstacles", "solution", "solution_kind", "by_whom", "when", "form", "payee",
            "amount_reason", "resident_words",
            "agreement", "agreement_date", "agreement_how", "provisions", "horizon_months",
            "discount_rate", "price_year", "standard", "tailored", "triangle", "calculation",
            "snapshot", "updated_at",
        ]  # fmt: skip

    def _assessed(self, plan):
        cache = self.context.setdefault("_assessed", {})
        if plan.pk not in cache:
            cache[plan.pk] = selectors.assess(self.context["request"].user, plan)
        return cache[plan.pk]

    def get_provisions(self, plan) -> list[dict]:
        return [
            {
                "provision": p.provision_id,
                "code": p.provision.code,
                "title": str(p.provision),
                "source_url": p.provision.source_url,
                "verified": p.provision.verified,
                "explanation": p.explanation,
            }
            for p in plan.plan_provisions.all()
        ]

    def _lines(self, plan, scenario) -> list[dict]:
        return [
            {
                "item": x.cost_item_id,
                "version": x.version_id,
                "kind": x.kind,
                "label": x.label,
                "amount": None if x.amount is None else str(x.amount),
                "unit": x.unit,
                "bearer": x.bearer,
                "cost_type": x.cost_type,
                "quantity": str(x.quantity),
                "start_month": x.start_month,
                "duration_months": x.duration_months,
                "probability": str(x.probability),
            }
            for x in selectors.lines_of(plan, scenario)
        ]

    def get_standard(self, plan) -> list[dict]:
        return self._lines(plan, Scenario.STANDARD)

    def get_tailored(self, plan) -> list[dict]:
        return self._lines(plan, Scenario.TAILORED)

    def get_triangle(self, plan) -> dict:
        tri, _outcome, _problems = self._assessed(plan)
        missing = missing_by_corner(tri)
        return {
            "complete": tri.complete,
            "corners": {
                c.name: {"complete": c.complete, "missing": missing.get(c.name, [])}
                for c in tri.corners
            },
            # Not a corner: the kind of solution submission also requires.
            "solution_kind": {
                "complete": not tri.solution,
                "missing": missing.get(SOLUTION_KIND, []),
            },
        }

    def get_calculation(self, plan) -> dict | None:
        _tri, outcome, problems = self._assessed(plan)
        if outcome is None:
            return {"problems": problems} if problems else None
        return result_as_dict(outcome)

    def get_snapshot(self, plan) -> dict | None:
        snapshot = plan.snapshots.first() if plan.status != Plan.Status.DRAFT else None
        if snapshot is None:
            return None
        return {
            "id": snapshot.pk,
            "created_at": snapshot.created_at,
            "engine_version": snapshot.engine_version,
            "versions": sorted(v.pk for v in snapshot.versions.all()),
            "result": snapshot.result,
        }


PLAN_EXAMPLE = {
    "case": 1,
    "obstacles": [1],
    "solution": "Kinderopvang betalen zodat zij haar baan houdt",
    "solution_kind": "payment_of_cost",
    "amount_requested": "6500.00",
    "form": "payment",
    "payee": "Kinderopvang De Zon",
    "resident_words": "Dan kan ik blijven werken.",
    "agreement": "yes",
    "agreement_date": "2026-11-20",
    "agreement_how": "in_person",
    "provisions": [{"provision": 1, "explanation": "Biedt ruimte voor maatwerk."}],
    **WORKED_EXAMPLE,
}

SUBMIT_REFUSED_EXAMPLE = {
    "type": "urn:maatwerk:problem:plans.incomplete",
    "title": "Bad Request",
    "status": 400,
    "detail": "De bewoner heeft niet ingestemd met het plan. "
    "Voeg ten minste één regel toe aan de standaardroute.",
    "code": "plans.incomplete",
    "errors": [
        {
            "field": "involvement",
            "code": "plans.incomplete",
            "detail": "De bewoner heeft niet ingestemd met het plan.",
        },
        {
            "field": "return",
            "code": "plans.incomplete",
            "detail": "Voeg ten minste één regel toe aan de standaardroute.",
        },
    ],
}


def _line_values(data: dict) -> dict:
    return {
        "cost_item_id": data.get("item"),
        "kind": data.get("kind") or LineKind.COST,
        "label": data.get("label", ""),
        "amount": data.get("amount"),
        "unit": data.get("unit") or "",
        "bearer": data.get("bearer") or "",
        "cost_type": data.get("cost_type") or "",
        "quantity": data["quantity"],
        "start_month": data["start_month"],
        "duration_months": data.get("duration_months"),
        "probability": data["probability"],
    }


@extend_schema_view(
    list=extend_schema(summary="Plans of the cases you may see", tags=["plans"]),
    retrieve=extend_schema(
        summary="One plan with its value triangle and calculation", tags=["plans"]
    ),
    create=extend_schema(
        summary="Create a draft plan for obstacles of a case",
        tags=["plans"],
        request=PlanWriteSerializer,
        responses={201: PlanDetailSerializer, 400: dict},
        examples=[OpenApiExample("Childcare instead of benefit", value=PLAN_EXAMPLE)],
    ),
    update=extend_schema(
        summary="Change a draft plan (only the sections sent)",
        tags=["plans"],
        request=PlanWriteSerializer,
        responses={200: PlanDetailSerializer, 400: dict},
    ),
    partial_update=extend_schema(
        summary="Change a draft plan (only the sections sent)",
        tags=["plans"],
        request=PlanWriteSerializer,
        responses={200: PlanDetailSerializer, 400: dict},
        examples=[
            OpenApiExample(
                "Record the agreement",
                value={
                    "resident_words": "Dan kan ik blijven werken.",
                    "agreement": "yes",
                    "agreement_date": "2026-11-20",
                    "agreement_how": "in_person",
                },
            )
        ],
    ),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [SecondFactorPassed, WorksOnCases]

    def get_queryset(self):
        if self.action == "list":
            return selectors.plan_list(self.request.user)
        return selectors.plan_list(self.request.user).prefetch_related(
            "obstacles", "plan_provisions__provision__law", "lines"
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PlanWriteSerializer
        return PlanDetailSerializer if self.action != "list" else PlanListSerializer

    def _detail(self, pk: int, status_code=status.HTTP_200_OK) -> Response:
        plan = selectors.plan_detail(self.request.user, pk)
        data = PlanDetailSerializer(plan, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        audit.record_views(
            actor=request.user, objects=Plan.objects.filter(id__in=ids).only("id"), reason="api"
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="api")
        return self._detail(plan.pk)

    def create(self, request, *args, **kwargs):
        serializer = PlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        missing = [f for f in ("case", "obstacles", "solution") if f not in data]
        if missing:
            raise ValidationError({f: [_("This field is required.")] for f in missing})
        case = visible_cases(request.user).filter(pk=data["case"]).first()
        if case is None:
            raise ValidationError({"case": [_("This case does not exist or is not yours.")]})
        obstacles = list(case.obstacles.filter(pk__in=data["obstacles"]))
        if len(obstacles) != len(set(data["obstacles"])):
            raise ValidationError({"obstacles": [_("Choose obstacles of this case only.")]})
        plan = services.create_draft(
            request.user, case, obstacles, solution=_solution(data), **_sections(data)
        )
        return self._detail(plan.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = PlanWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "case" in data or "obstacles" in data:
            raise ValidationError({"case": [_("The case and obstacles of a plan stay as made.")]})
        services.save_draft(request.user, plan, solution=_solution(data), **_sections(data))
        return self._detail(plan.pk)

    @extend_schema(
        summary="Revise a rejected or withdrawn plan as a new draft version",
        description="Copies texts, provisions and lines into version n+1; the old version and "
        "its decision trail stay. Answers the new draft (201).",
        tags=["plans"],
        request=None,
        responses={201: PlanDetailSerializer, 400: dict},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        plan = self.get_object()
        new = services.revise(request.user, plan)
        return self._detail(new.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close an approved, paid, rejected or withdrawn plan, with a reason",
        tags=["plans"],
        request=CloseSerializer,
        responses={200: PlanDetailSerializer, 400: dict},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        plan = self.get_object()
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        # The service checks who may close before it checks the reason (403 before 400).
        services.close(request.user, plan, reason if isinstance(reason, str) else "")
        return self._detail(plan.pk)

    def get_object(self):
        try:
            return super().get_object()
        except Plan.DoesNotExist:  # pragma: no cover - get_object raises Http404 already
            raise NotFound from None


def _solution(data: dict) -> dict:
    return {k: data[k] for k in services.SOLUTION_FIELDS if k in data}


def _sections(data: dict) -> dict:
    """The sections of `services.save_draft` the client sent (None: leave as it is)."""
    return {
        "agreement": {k: data[k] for k in services.AGREEMENT_FIELDS if k in data},
        "provisions": [(p["provision"], p["explanation"]) for p in data["provisions"]]
        if "provisions" in data
        else None,
        "standard": [_line_values(x) for x in data["standard"]] if "standard" in data else None,
        "tailored": [_line_values(x) for x in data["tailored"]] if "tailored" in data else None,
        "terms": {k: data[k] for k in services.TERMS_FIELDS if k in data},
    }
