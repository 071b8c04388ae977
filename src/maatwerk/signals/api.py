"""The signal report in the API (issue 14, point 7): the same figures as the page, with the same
suppression, for the policy roles only. A suppressed figure is null, and `small` says whether it
is under the threshold ("< 5") or hidden so that another hidden figure cannot be worked out.

API of system signals: list, read and move them along the allow-list, through the same
selectors (the policy roles see their organisation's signals; workers those their team's
obstacles fed) and the same service as the pages. A refused move answers problem+json 400: code
`signals.transition_not_allowed` for a move the allow-list does not hold, `note` in `errors`
for a missing reason. No case data: a signal carries a rule, an owner, a status and its history.
"""

from django.db.models import F
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.accounts.selectors import has_role
from maatwerk.api.permissions import SecondFactorPassed
from maatwerk.core.small_numbers import inside_rule

from . import report, selectors, services
from .models import Signal, SignalEvent, Status


class PolicyRole(BasePermission):
    message = "Only policy analysts, managers and directors read the signal report."

    def has_permission(self, request, view):
        return has_role(request.user, *selectors.POLICY_ROLES)


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The rule's id, `new` (newly described rules) or a kind.")
    name = serializers.CharField()
    law = serializers.CharField(help_text="Law and article the rule rests on, where recorded.")
    households = serializers.IntegerField(allow_null=True)
    small = serializers.BooleanField(help_text="Hidden for having too few households.")
    plans = serializers.IntegerField(
        allow_null=True,
        help_text="Null when fewer households than the minimum made plans (or to protect one).",
    )
    approved = serializers.IntegerField(
        allow_null=True,
        help_text="Null when fewer households than the minimum have an approved plan.",
    )
    standard = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    tailored = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    realised = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class ReportSerializer(serializers.Serializer):
    period = serializers.CharField()
    minimum_households = serializers.IntegerField()
    rules = ReportRowSerializer(many=True)
    rules_total = ReportRowSerializer(allow_null=True)
    kinds = ReportRowSerializer(many=True)
    kinds_total = ReportRowSerializer(allow_null=True)


REPORT_EXAMPLE = {
    "period": "2026",
    "minimum_households": 5,
    "rules": [
        {
            "key": "6", "name": "Toeslag verrekend met (belasting)schuld", "law": "Awir 30",
            "households": 6, "small": False, "plans": 6, "approved": None,
            "standard": "72000.00", "tailored": "39000.00", "realised": None,
        },
        {
            "key": "new", "name": "Nieuw beschreven regels", "law": "", "households": None,
            "small": True, "plans": None, "approved": None, "standard": None,
            "tailored": None, "realised": None,
        },
    ],
    "rules_total": {
        "key": "total", "name": "Totaal", "law": "", "households": 15, "small": False,
        "plans": 6, "approved": None, "standard": "72000.00", "tailored": "39000.00",
        "realised": None,
    },
    "kinds": [],
    "kinds_total": None,
}  # fmt: skip


def _row(key, name, law, r) -> dict:
    return {
        "key": str(key), "name": str(name), "law": law, "households": r.households,
        "small": r.small, "plans": r.plans, "approved": r.approved, "standard": r.standard,
        "tailored": r.tailored, "realised": r.realised,
    }  # fmt: skip


class SignalReportView(APIView):
    """The signal report of a fixed period (`?period=2026` or `?period=2026-K3`)."""

    permission_classes = [SecondFactorPassed, PolicyRole]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="A year (2026) or a quarter (2026-K3); default: this year.",
            )
        ],
        responses=ReportSerializer,
        examples=[OpenApiExample("A year", value=REPORT_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        value = request.query_params.get("period")
        today = timezone.localdate()
        if value is None:
            period = report.Period(today.year)
        else:
            period = report.parse_period(value)
            if period is None or period not in report.period_choices(today):
                raise ValidationError(
                    {"period": ["A year or a quarter (2026, 2026-K3) of the last three years."]}
                )
        result = selectors.signal_report(request.user, period)
        labels = selectors.rule_labels([r.key for r in result.rules])
        kinds = selectors.kind_labels()
        total_name = "total"
        data = {
            "period": period.key,
            "minimum_households": inside_rule().minimum,
            "rules": [_row(r.key, labels[r.key].name, labels[r.key].law, r) for r in result.rules],
            "rules_total": _row(total_name, total_name, "", result.rules_total)
            if result.rules_total
            else None,
            "kinds": [_row(r.key or "none", kinds.get(r.key, r.key), "", r) for r in result.kinds],
            "kinds_total": _row(total_name, total_name, "", result.kinds_total)
            if result.kinds_total
            else None,
        }
        return Response(ReportSerializer(data).data)


class ReadsSignals(BasePermission):
    def has_permission(self, request, view):
        return has_role(request.user, *selectors.READ_ROLES)


class SignalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = SignalEvent
        fields = ["at", "from_status", "to_status", "note"]


class SignalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="Open and past its deadline.")
    next_statuses = serializers.SerializerMethodField(
        help_text="The moves the allow-list holds from the current status."
    )
    history = SignalEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id", "title", "summary", "blocking_rule", "rule_version", "owner_kind", "owner_name",
            "status", "status_label", "status_since", "deadline", "overdue", "next_statuses",
            "outcome_note", "changed_version", "changed_on", "raised_at", "history",
        ]  # fmt: skip

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate())

    def get_next_statuses(self, obj) -> list[str]:
        return [s.value for s in obj.next_statuses()]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed for `rule_kept` (why) and `passed_on` (to whom).",
    )


SIGNAL_EXAMPLE = {
    "id": 3,
    "title": "Toeslag verrekend met schuld blokkeert werk",
    "summary": "Huishoudens stoppen met werken omdat de kinderopvangtoeslag wordt verrekend.",
    "blocking_rule": 2,
    "rule_version": 1,
    "owner_kind": "national",
    "owner_name": "Landelijk Maatwerkloket",
    "status": "under_study",
    "status_label": "in onderzoek",
    "status_since": "2026-11-02",
    "deadline": "2027-02-01",
    "overdue": False,
    "next_statuses": ["rule_changed", "rule_kept", "passed_on"],
    "outcome_note": "",
    "changed_version": None,
    "changed_on": None,
    "raised_at": "2026-10-12T09:30:00+02:00",
    "history": [
        {"at": "2026-10-12T09:30:00+02:00", "from_status": "", "to_status": "new", "note": ""},
        {
            "at": "2026-10-20T14:00:00+02:00",
            "from_status": "new",
            "to_status": "acknowledged",
            "note": "",
        },
    ],
}
REFUSED_EXAMPLE = {
    "type": "urn:maatwerk:problem:signals.transition_not_allowed",
    "title": "Bad Request",
    "status": 400,
    "detail": "Een signaal dat nieuw is, kan niet regel gehandhaafd worden. Toegestaan: ontvangen.",
    "code": "signals.transition_not_allowed",
    "errors": [],
}


@extend_schema_view(
    list=extend_schema(
        summary="System signals you may see",
        description="Policy analysts, team leads, managers and directors: the signals of their "
        "organisation; workers: the signals their team's obstacles fed. Open first.",
        tags=["signals"],
        examples=[OpenApiExample("A signal under study", value=SIGNAL_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary="One signal with its history",
        tags=["signals"],
        examples=[OpenApiExample("A signal under study", value=SIGNAL_EXAMPLE)],
    ),
)
class SignalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SecondFactorPassed, ReadsSignals]
    serializer_class = SignalSerializer

    def get_queryset(self):
        return (
            selectors.visible_signals(self.request.user)
            .prefetch_related("events")
            .order_by(F("deadline").asc(nulls_last=True), "-raised_at", "-id")
        )

    @extend_schema(
        summary="Move a signal one step",
        description="Along the allow-list: new → acknowledged → under_study → rule_changed / "
        "rule_kept (with `note`: why) / passed_on (with `note`: to whom). `rule_changed` on a "
        "regelbank rule needs its new version in the regelbank first. Policy roles of the "
        "signal's organisation only. A move the allow-list does not hold answers 400 with "
        "code `signals.transition_not_allowed`.",
        tags=["signals"],
        request=TransitionSerializer,
        responses={200: SignalSerializer, 400: dict},
        examples=[
            OpenApiExample("Acknowledged", value={"to_status": "acknowledged"}, request_only=True),
            OpenApiExample(
                "Rule kept",
                value={"to_status": "rule_kept", "note": "Wettelijk verplicht."},
                request_only=True,
            ),
            OpenApiExample(
                "Refused move", value=REFUSED_EXAMPLE, response_only=True, status_codes=["400"]
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        signal = self.get_object()  # 404 for a signal the user may not see
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.transition(
            request.user,
            signal,
            serializer.validated_data["to_status"],
            note=serializer.validated_data["note"],
        )
        return Response(SignalSerializer(self.get_queryset().get(pk=signal.pk)).data)
