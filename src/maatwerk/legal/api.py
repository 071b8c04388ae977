"""Read-only API of the legal catalogue: same access as the pages (every logged-in user)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from maatwerk.api.models import Scope
from maatwerk.api.permissions import PersonOrScopedClient, SecondFactorPassed
from maatwerk.core.domains import LifeDomain

from . import selectors
from .models import BlockingRule, Law, Provision, VerifiedStatus


class LawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Law
        fields = ["code", "name", "bwb_id", "source_url"]


class ProvisionSerializer(serializers.ModelSerializer):
    law = LawSerializer()
    needs_check = serializers.BooleanField(read_only=True)

    class Meta:
        model = Provision
        fields = [
            "id", "code", "law", "article", "title", "room_nl", "room_en", "source_url",
            "verified", "needs_check", "version", "updated_at",
        ]  # fmt: skip


class ProvisionRefSerializer(serializers.ModelSerializer):
    law = serializers.CharField(source="law.code")

    class Meta:
        model = Provision
        fields = ["id", "code", "law", "article", "title", "source_url", "verified"]


class BlockingRuleSerializer(serializers.ModelSerializer):
    basis_provision = ProvisionRefSerializer(allow_null=True)
    escape_provisions = serializers.SerializerMethodField(
        help_text="Provisions that may offer a way out, in the order plans propose them."
    )

    class Meta:
        model = BlockingRule
        fields = [
            "id", "code", "name_nl", "name_en", "description", "applied_by", "life_domain",
            "basis_provision", "escape_provisions", "recent_change", "version", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(ProvisionRefSerializer(many=True))
    def get_escape_provisions(self, rule):
        return ProvisionRefSerializer(selectors.escape_provisions_for(rule), many=True).data


class FilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    law = serializers.CharField(required=False, allow_blank=True, max_length=30)
    verified = serializers.ChoiceField(
        required=False, allow_blank=True, choices=VerifiedStatus.choices
    )
    life_domain = serializers.ChoiceField(
        required=False, allow_blank=True, choices=LifeDomain.choices
    )


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words from code, title, text or name."),
    OpenApiParameter("law", OpenApiTypes.STR, description="Law abbreviation, for example `Pw`."),
    OpenApiParameter(
        "verified",
        OpenApiTypes.STR,
        enum=VerifiedStatus.values,
        description="`partly`: the article number or a detail still needs a check.",
    ),
    OpenApiParameter("life_domain", OpenApiTypes.STR, enum=LifeDomain.values),
]

PROVISION_EXAMPLE = OpenApiExample(
    "Afstemming bijstand",
    response_only=True,
    value={
        "id": 1,
        "code": "PW-18-1",
        "law": {
            "code": "Pw",
            "name": "Participatiewet",
            "bwb_id": "BWBR0015703",
            "source_url": "https://wetten.overheid.nl/BWBR0015703",
        },
        "article": "art. 18 lid 1",
        "title": "Afstemming bijstand",
        "room_nl": "De gemeente stemt de bijstand en de verplichtingen af op de omstandigheden …",
        "room_en": "The municipality must tailor assistance and its obligations …",
        "source_url": "https://www.schulinck.nl/opinie/…",
        "verified": "yes",
        "needs_check": False,
        "version": 1,
        "updated_at": "2026-11-25T10:00:00Z",
    },
)

RULE_EXAMPLE = OpenApiExample(
    "Kostendelersnorm",
    response_only=True,
    value={
        "id": 1,
        "code": "KOSTENDELERSNORM",
        "name_nl": "Kostendelersnorm",
        "name_en": "Cost-sharing norm lowers benefit when adults share a home",
        "description": "",
        "applied_by": "municipality",
        "life_domain": "income",
        "basis_provision": {
            "id": 4,
            "code": "PW-22A",
            "law": "Pw",
            "article": "art. 19a / 22a",
            "title": "Kostendelersnorm",
            "source_url": "https://www.gemeente.nu/…",
            "verified": "yes",
        },
        "escape_provisions": [
            {
                "id": 1,
                "code": "PW-18-1",
                "law": "Pw",
                "article": "art. 18 lid 1",
                "title": "Afstemming bijstand",
                "source_url": "https://www.schulinck.nl/…",
                "verified": "yes",
            }
        ],
        "recent_change": "Leeftijdsgrens op 1 januari 2023 verhoogd van 21 naar 27 jaar; …",
        "version": 1,
        "updated_at": "2026-11-25T10:00:00Z",
    },
)


class _FilteredReadOnly(viewsets.ReadOnlyModelViewSet):
    # The regelbank holds no personal data: every logged-in user reads it, and API clients
    # given the scope for it.
    permission_classes = [PersonOrScopedClient, SecondFactorPassed]
    required_scopes = [Scope.REGELBANK_READ]

    def filters(self) -> dict:
        params = FilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return {
            "text": data.get("q", ""),
            "law": data.get("law", ""),
            "verified": data.get("verified", ""),
            "life_domain": data.get("life_domain", ""),
        }


@extend_schema_view(
    list=extend_schema(
        summary="Articles of law in the legal catalogue (regelbank)",
        tags=["regelbank"],
        parameters=FILTERS,
        examples=[PROVISION_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One article of law", tags=["regelbank"], examples=[PROVISION_EXAMPLE]
    ),
)
class ProvisionViewSet(_FilteredReadOnly):
    serializer_class = ProvisionSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.provisions(**self.filters())
        return selectors.provisions()


@extend_schema_view(
    list=extend_schema(
        summary="Blocking rules with the article they rest on and the ways out",
        tags=["regelbank"],
        parameters=FILTERS,
        examples=[RULE_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="One blocking rule", tags=["regelbank"], examples=[RULE_EXAMPLE]
    ),
)
class BlockingRuleViewSet(_FilteredReadOnly):
    serializer_class = BlockingRuleSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.blocking_rules(**self.filters())
        return selectors.blocking_rules()
