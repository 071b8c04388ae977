"""The signal report in the API (issue 14, point 7): the same figures as the page, with the same
suppression, for the policy roles only. A suppressed figure is null, and `small` says whether it
is under the threshold ("< 5") or hidden so that another hidden figure cannot be worked out."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.accounts.selectors import has_role
from maatwerk.api.permissions import SecondFactorPassed
from maatwerk.core.small_numbers import inside_rule

from . import report, selectors


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
    plans = serializers.IntegerField(allow_null=True)
    approved = serializers.IntegerField(allow_null=True)
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
            "households": 6, "small": False, "plans": 6, "approved": 3,
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
        "plans": 6, "approved": 3, "standard": "72000.00", "tailored": "39000.00",
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
