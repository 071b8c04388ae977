"""API of the cost catalogue and the stateless cost–benefit calculation."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.core.domains import LifeDomain

from . import selectors
from .calculations import (
    DEFAULT_DISCOUNT_RATE,
    MAX_LINES,
    CalculationError,
    CalculationRequest,
    LineRequest,
    calculate,
    result_as_dict,
)
from .forms import CatalogueFilterForm
from .models import Bearer, CostType, Grade, Unit


class CostItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    code = serializers.CharField(source="item.code")
    name_nl = serializers.CharField(source="item.name_nl")
    name_en = serializers.CharField(source="item.name_en")
    description = serializers.CharField(source="item.description")
    life_domain = serializers.CharField(source="item.life_domain")
    unit = serializers.CharField(source="item.unit")
    bearer = serializers.CharField(source="item.bearer")
    cost_type = serializers.CharField(source="item.cost_type")
    local_item = serializers.SerializerMethodField()
    version_id = serializers.IntegerField(source="version.pk")
    amount = serializers.DecimalField(source="version.amount", max_digits=12, decimal_places=2)
    price_date = serializers.DateField(source="version.price_date")
    grade = serializers.CharField(source="version.grade")
    source_title = serializers.CharField(source="version.source_title")
    source_url = serializers.CharField(source="version.source_url")
    local_price = serializers.BooleanField(source="is_local_price")
    indexed_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    indexed_year = serializers.IntegerField()

    def get_local_item(self, row) -> bool:
        return row.item.organisation_id is not None


COST_ITEM_FILTERS = [
    OpenApiParameter("q", str, description="Text in the name or code"),
    OpenApiParameter("life_domain", str, enum=LifeDomain.values),
    OpenApiParameter("bearer", str, enum=Bearer.values),
    OpenApiParameter("cost_type", str, enum=CostType.values),
    OpenApiParameter("grade", str, enum=Grade.values),
    OpenApiParameter("year", int, description="Price level to index amounts to (default: now)"),
]


class CostItemListView(ListAPIView):
    serializer_class = CostItemSerializer
    pagination_class = None  # the catalogue is small and clients want all of it at once

    @extend_schema(
        summary="The cost catalogue, priced for your organisation",
        tags=["costs"],
        parameters=COST_ITEM_FILTERS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        form = CatalogueFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        year = self.request.query_params.get("year") or ""
        if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
            raise ValidationError({"year": [_("A year between 1990 and 2100.")]})
        return selectors.catalogue(
            self.request.user,
            text=form.cleaned_data["q"],
            life_domain=form.cleaned_data["life_domain"],
            bearer=form.cleaned_data["bearer"],
            cost_type=form.cleaned_data["cost_type"],
            grade=form.cleaned_data["grade"],
            year=int(year) if year else timezone.localdate().year,
        )


def _optional_choice(choices) -> serializers.ChoiceField:
    """A choice a line may leave out (null or empty): a catalogue item then supplies it."""
    return serializers.ChoiceField(
        choices=choices.choices, required=False, allow_null=True, allow_blank=True
    )


class LineSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        required=False, allow_null=True, help_text="Cost item id; leave out for a free amount."
    )
    label = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal(0),
        help_text="Euros per unit; defaults to the item's current (indexed) price.",
    )
    unit = serializers.ChoiceField(
        choices=Unit.choices, required=False, allow_null=True, allow_blank=True
    )
    bearer = serializers.ChoiceField(
        choices=Bearer.choices, required=False, allow_null=True, allow_blank=True
    )
    cost_type = serializers.ChoiceField(
        choices=CostType.choices, required=False, allow_null=True, allow_blank=True
    )
    grade = serializers.ChoiceField(
        choices=Grade.choices, required=False, allow_null=True, allow_blank=True
    )
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=4, default=Decimal(1), min_value=Decimal(0)
    )
    start_month = serializers.IntegerField(default=0, min_value=0, max_value=599)
    duration_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=600, help_text="Empty: once."
    )
    probability = serializers.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal(1), min_value=0, max_value=1
    )

    def validate(self, attrs):
        if attrs.get("item") is None and (attrs.get("amount") is None or not attrs.get("unit")):
            raise ValidationError(_("Choose a cost item, or give an amount and a unit."))
        return attrs


class CalculationInputSerializer(serializers.Serializer):
    standard = LineSerializer(many=True, max_length=MAX_LINES)
    tailored = LineSerializer(many=True, max_length=MAX_LINES)
    horizon_months = serializers.IntegerField(min_value=1, max_value=600)
    discount_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_DISCOUNT_RATE,
        min_value=Decimal(0),
        max_value=Decimal("0.2"),
        help_text="Real discount rate per year as a fraction (0.0225 = 2.25 %).",
    )
    price_year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)


WORKED_EXAMPLE = {
    "horizon_months": 12,
    "discount_rate": "0",
    "standard": [
        {
            "label": "Bijstandsuitkering",
            "amount": "1000.00",
            "unit": "per_month",
            "bearer": "municipality",
            "cost_type": "transfer",
            "duration_months": 12,
        }
    ],
    "tailored": [
        {
            "label": "Kinderopvang betalen",
            "amount": "6500.00",
            "unit": "per_event",
            "bearer": "municipality",
            "cost_type": "fiscal",
        }
    ],
}


def _line(data: dict) -> LineRequest:
    return LineRequest(
        item_id=data.get("item"),
        label=data.get("label", ""),
        amount=data.get("amount"),
        unit=data.get("unit"),
        bearer=data.get("bearer"),
        cost_type=data.get("cost_type"),
        grade=data.get("grade"),
        quantity=data["quantity"],
        start_month=data["start_month"],
        duration_months=data.get("duration_months"),
        probability=data["probability"],
    )


class CalculationView(APIView):
    @extend_schema(
        summary="Compare the standard route with the tailored one (stateless)",
        description=(
            "Evaluates both scenarios with the cost–benefit engine and returns totals, present "
            "values, monthly and cumulative series, net benefit, ratio, payback month, the "
            "per-bearer budget view, the societal view, the sensitivity band and an explanation. "
            "Nothing is stored."
        ),
        tags=["costs"],
        request=CalculationInputSerializer,
        responses={200: dict, 400: dict},
        examples=[
            OpenApiExample(
                "Childcare instead of a year of benefit", value=WORKED_EXAMPLE, request_only=True
            )
        ],
    )
    def post(self, request):
        serializer = CalculationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requests = CalculationRequest(
            standard=tuple(_line(x) for x in data["standard"]),
            tailored=tuple(_line(x) for x in data["tailored"]),
            horizon_months=data["horizon_months"],
            discount_rate=data["discount_rate"],
            price_year=data.get("price_year"),
        )
        try:
            outcome = calculate(request.user, requests)
        except CalculationError as e:
            raise ValidationError(e.errors) from e
        return Response(result_as_dict(outcome), status=status.HTTP_200_OK)
