"""API of follow-ups and their outcomes: list, read and record, through the same selectors
(need-to-know: the plan's case in one of the user's teams) and the same service as the page.
Recording is one call of `services.record`; its rules (due, not twice, who may) live there."""

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit
from maatwerk.core import dates

from . import selectors, services
from .models import FollowUp, Outcome


class OutcomeSerializer(serializers.ModelSerializer):
    code_label = serializers.CharField(source="get_code_display", read_only=True)
    holds = serializers.BooleanField(
        read_only=True, help_text="Held at least six whole months on the day of measurement."
    )

    class Meta:
        model = Outcome
        fields = ["code", "code_label", "holds_since", "holds", "text"]


class FollowUpSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="plan.case_id", read_only=True)
    moment_label = serializers.CharField(source="get_moment_display", read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text="Not recorded, past its due date (the end of the action only once the action "
        "is marked carried out or paid)."
    )
    outcomes = OutcomeSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "plan", "case", "moment", "moment_label", "due_on", "status", "overdue",
            "measured", "none_holds", "not_measured_reason", "recorded_on", "recorded_at",
            "outcomes",
        ]  # fmt: skip
        extra_kwargs = {
            "none_holds": {
                "help_text": "Measured, and none of the coded outcomes holds: no outcomes; it "
                "counts as measured, with no months of the standard route avoided (apart from "
                "`not_measured`, which is no data)."
            }
        }

    def get_overdue(self, obj) -> bool:
        return (
            obj.status == FollowUp.Status.SCHEDULED
            and obj.due_on < timezone.localdate()
            and not getattr(obj, "awaiting_action", False)
        )


class OutcomeInputSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Outcome.Code.choices)
    holds_since = serializers.DateField(validators=[dates.EVENT_DATE])
    text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RecordSerializer(serializers.Serializer):
    measured = serializers.ChoiceField(choices=FollowUp.Measured.choices)
    none_holds = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only with `measured` `yes` and no `outcomes`: measured, and none of the "
        "coded outcomes holds. It counts as measured, with no months of the standard route "
        "avoided; `not_measured` (no contact, moved, refused) is no data, never this.",
    )
    reason = serializers.ChoiceField(
        choices=FollowUp.Reason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only when `measured` is `not_measured`: why (never counted as failure).",
    )
    recorded_on = serializers.DateField(
        required=False, validators=[dates.EVENT_DATE], help_text="Day of measurement; today."
    )
    outcomes = OutcomeInputSerializer(many=True, required=False, default=list)


class CarriedOutSerializer(serializers.Serializer):
    carried_out_on = serializers.DateField(
        help_text="The day the plan's tailored action was carried out: not in the future, not "
        "before the approval. Marking again corrects the day."
    )


class CarriedOutAnswerSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    carried_out_on = serializers.DateField()
    followups = FollowUpSerializer(many=True, help_text="The plan's follow-ups, rescheduled.")


MEASURED_EXAMPLE = {
    "measured": "yes",
    "recorded_on": "2026-11-27",
    "outcomes": [
        {"code": "still_in_work", "holds_since": "2026-05-01", "text": "Vast contract."},
        {"code": "debts_settled_or_arrangement", "holds_since": "2026-03-15"},
    ],
}
NONE_HOLDS_EXAMPLE = {"measured": "yes", "none_holds": True, "recorded_on": "2026-11-27"}
CARRIED_OUT_EXAMPLE = {"carried_out_on": "2026-11-02"}
NOT_MEASURED_EXAMPLE = {"measured": "not_measured", "reason": "no_contact"}
FOLLOWUP_EXAMPLE = {
    "id": 12,
    "plan": 4,
    "case": 3,
    "moment": "plus_6",
    "moment_label": "na 6 maanden",
    "due_on": "2026-11-20",
    "status": "recorded",
    "overdue": False,
    "measured": "yes",
    "none_holds": False,
    "not_measured_reason": "",
    "recorded_on": "2026-11-27",
    "recorded_at": "2026-11-27T10:12:00+01:00",
    "outcomes": [
        {
            "code": "still_in_work",
            "code_label": "nog aan het werk",
            "holds_since": "2026-05-01",
            "holds": True,
            "text": "Vast contract.",
        }
    ],
}


def _flag(request, name: str) -> bool:
    value = request.query_params.get(name, "")
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise ValidationError({name: [_("Use true or false.")]})


@extend_schema_view(
    list=extend_schema(
        summary="Follow-ups you may see",
        description="Follow-ups of plans whose case is in one of your teams (need-to-know, as "
        "the pages). `due`: scheduled and due today or earlier (the task list's moments); "
        "`overdue`: scheduled and past their due date.",
        tags=["followup"],
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.INT, description="Only this plan's."),
            OpenApiParameter("due", OpenApiTypes.BOOL, description="Only scheduled and due."),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only past due."),
        ],
        examples=[OpenApiExample("A recorded follow-up", value=FOLLOWUP_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary="One follow-up with its outcomes",
        tags=["followup"],
        examples=[OpenApiExample("A recorded follow-up", value=FOLLOWUP_EXAMPLE)],
    ),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SecondFactorPassed, WorksOnCases]
    serializer_class = FollowUpSerializer

    def get_queryset(self):
        rows = (
            selectors.visible_followups(self.request.user)
            .annotate(
                awaiting_action=ExpressionWrapper(
                    selectors.awaiting_action(), output_field=BooleanField()
                )
            )
            .select_related("plan")
            .prefetch_related("outcomes__followup")
            .order_by("due_on", "id")
        )
        if self.action != "list":
            return rows
        plan = self.request.query_params.get("plan")
        if plan:
            if not plan.isdigit() or int(plan) > 2**31 - 1:
                raise ValidationError({"plan": [_("Give the number of a plan.")]})
            rows = rows.filter(plan_id=int(plan))
        today = timezone.localdate()
        if _flag(self.request, "due"):
            rows = rows.filter(status=FollowUp.Status.SCHEDULED, due_on__lte=today).exclude(
                selectors.awaiting_action()
            )
        if _flag(self.request, "overdue"):
            rows = rows.filter(status=FollowUp.Status.SCHEDULED, due_on__lt=today).exclude(
                selectors.awaiting_action()
            )
        return rows

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        audit.record_views(
            actor=request.user, objects=FollowUp.objects.filter(id__in=ids).only("id"), reason="api"
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        followup = self.get_object()
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=followup, reason="api")
        return Response(FollowUpSerializer(followup).data)

    @extend_schema(
        summary="Record a follow-up",
        description="Measured with at least one coded outcome (each with the date since when "
        "it holds); measured with `none_holds` and no outcomes (none of the outcomes holds: "
        "counted as measured, no costs avoided); or `not_measured` with its `reason` (no "
        "contact, moved, refused: no data, never counted as failure or success). A "
        "contradiction (`none_holds` with outcomes or with `not_measured`) is refused and "
        "changes nothing. Only a "
        "due follow-up, once, by a worker or team lead of the case's team. The plan's last "
        "follow-up closes the plan and releases what it did not spend.",
        tags=["followup"],
        request=RecordSerializer,
        responses={200: FollowUpSerializer, 400: dict},
        examples=[
            OpenApiExample("In work", value=MEASURED_EXAMPLE, request_only=True),
            OpenApiExample(
                "Measured, none of the outcomes holds", value=NONE_HOLDS_EXAMPLE, request_only=True
            ),
            OpenApiExample("Not measured", value=NOT_MEASURED_EXAMPLE, request_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        # 404 for a follow-up the user may not see; the service refuses one they may not write.
        followup = self.get_object()
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record(request.user, followup, **serializer.validated_data)
        followup = selectors.followup_detail(request.user, followup.pk)
        return Response(FollowUpSerializer(followup).data)

    @extend_schema(
        summary="Mark the plan's action carried out",
        description="The day the tailored action of this follow-up's plan was carried out, as "
        "on the plan page: the follow-ups not yet recorded are scheduled from that day (the "
        "marking wins over the last payment). Not in the future, not before the approval, not "
        "on a closed plan; by a worker or team lead of the case's team. Answers with the "
        "plan's follow-ups.",
        tags=["followup"],
        request=CarriedOutSerializer,
        responses={200: CarriedOutAnswerSerializer, 400: dict},
        examples=[
            OpenApiExample("Carried out", value=CARRIED_OUT_EXAMPLE, request_only=True),
        ],
    )
    @action(detail=True, methods=["post"], url_path="carried-out")
    def carried_out(self, request, pk=None):
        # 404 for a follow-up the user may not see; the service refuses one they may not write.
        followup = self.get_object()
        serializer = CarriedOutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marking = services.mark_carried_out(
            request.user, followup.plan, serializer.validated_data["carried_out_on"]
        )
        rows = self.get_queryset().filter(plan_id=followup.plan_id)
        return Response(
            {
                "plan": followup.plan_id,
                "carried_out_on": marking.carried_out_on,
                "followups": FollowUpSerializer(rows, many=True).data,
            }
        )
