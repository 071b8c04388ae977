"""Read-only API of the library: the same selectors as the pages. Approved examples for every
person of the deployment, plus the team's own; the source plan only for the team."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from maatwerk.api.permissions import PersonOrScopedClient, SecondFactorPassed

from . import selectors
from .models import Example, ExampleCostLine


class ExampleCostLineSerializer(serializers.ModelSerializer):
    """A cost line's structure: a shared catalogue item (its price is the catalogue's) or a free
    line with its amount rounded to €100; the description is de-identified. Never a figure of
    a household."""

    route = serializers.CharField(
        source="scenario", read_only=True, help_text="standard or tailored"
    )
    cost_item = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text="Code of the shared catalogue item; null for a free line.",
    )
    cost_item_name = serializers.CharField(source="cost_item.name_nl", read_only=True, default=None)
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="Free lines only, rounded to €100; null: the catalogue price applies.",
    )

    class Meta:
        model = ExampleCostLine
        fields = [
            "route", "position", "cost_item", "cost_item_name", "kind", "label", "amount",
            "unit", "bearer", "cost_type", "quantity", "start_month", "duration_months",
            "probability",
        ]  # fmt: skip
        read_only_fields = fields


class ExampleSerializer(serializers.ModelSerializer):
    blocking_rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    blocking_rule_name = serializers.CharField(
        source="blocking_rule.name", read_only=True, default=None
    )
    provisions = serializers.SerializerMethodField(help_text="Codes of the provisions used.")
    life_domains = serializers.SerializerMethodField()
    organisations_involved = serializers.SerializerMethodField()
    source_plan = serializers.SerializerMethodField(
        help_text="The plan it came from: only for the team that published it, else null."
    )
    cost_lines = ExampleCostLineSerializer(many=True, read_only=True)

    class Meta:
        model = Example
        fields = [
            "id", "status", "title", "story", "lessons", "blocking_rule", "blocking_rule_name",
            "provisions", "life_domains", "organisations_involved", "solution_kind",
            "standard_total", "tailored_total", "decision_level", "outcome_code",
            "imported_from", "reviewed_at", "source_plan", "cost_lines",
        ]  # fmt: skip

    def get_provisions(self, obj) -> list[str]:
        return sorted(p.code for p in obj.provision_list)

    def get_life_domains(self, obj) -> list[str]:
        return sorted(d.domain for d in obj.life_domains.all())

    def get_organisations_involved(self, obj) -> list[str]:
        return sorted(o.organisation_type for o in obj.organisations.all())

    def get_source_plan(self, obj) -> int | None:
        return selectors.source_plan_id(self.context["request"].user, obj)


class ReadsLibrary(BasePermission):
    """Every person of the deployment; not a partner's client account."""

    def has_permission(self, request, view):
        return selectors.reads_library(request.user)


EXAMPLE = OpenApiExample(
    "Kinderopvang betaald",
    response_only=True,
    value={
        "id": 3,
        "status": "approved",
        "title": "Kinderopvang betaald zodat ze kon blijven werken",
        "story": "[naam] verloor haar kinderopvangtoeslag door verrekening …",
        "lessons": "Vraag eerder naar de toeslagschuld.",
        "blocking_rule": "TOESLAG-VERREKENING",
        "blocking_rule_name": "Verrekening toeslag met schuld",
        "provisions": ["PW-18-1"],
        "life_domains": ["income", "work"],
        "organisations_involved": ["tax_allowances"],
        "solution_kind": "payment_of_cost",
        "standard_total": "12000.00",
        "tailored_total": "6500.00",
        "decision_level": "team_lead",
        "outcome_code": "still_in_work",
        "imported_from": "",
        "reviewed_at": "2026-11-20T10:00:00Z",
        "source_plan": None,
        "cost_lines": [
            {
                "route": "standard",
                "position": 0,
                "cost_item": "SW-CONTACT",
                "cost_item_name": "Contact maatschappelijk werk",
                "kind": "cost",
                "label": "Wekelijks contact over de gevolgen",
                "amount": None,
                "unit": "",
                "bearer": "",
                "cost_type": "",
                "quantity": "8.0000",
                "start_month": 0,
                "duration_months": None,
                "probability": "1.0000",
            },
            {
                "route": "tailored",
                "position": 0,
                "cost_item": None,
                "cost_item_name": None,
                "kind": "cost",
                "label": "Kinderopvang drie maanden betaald voor [naam]",
                "amount": "2000.00",
                "unit": "per_event",
                "bearer": "municipality",
                "cost_type": "fiscal",
                "quantity": "1.0000",
                "start_month": 0,
                "duration_months": None,
                "probability": "1.0000",
            },
        ],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="Good examples (Mooi Maatwerk)",
        description="Approved examples of every organisation, plus your team's own drafts and "
        "proposals. Texts are de-identified; never a case or household.",
        examples=[EXAMPLE],
    ),
    retrieve=extend_schema(summary="One good example", examples=[EXAMPLE]),
)
class ExampleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExampleSerializer
    permission_classes = [PersonOrScopedClient, SecondFactorPassed, ReadsLibrary]

    def get_queryset(self):
        return selectors.api_examples(self.request.user)
