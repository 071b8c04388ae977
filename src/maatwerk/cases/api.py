from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit

from . import selectors
from .models import Case, Resident


class ResidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resident
        fields = ["id", "first_name", "last_name", "birth_date", "is_contact"]


class CaseListSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.reference")
    team = serializers.CharField(source="team.name")

    class Meta:
        model = Case
        fields = ["id", "household", "team", "status", "title", "opened_on"]


class CaseDetailSerializer(CaseListSerializer):
    residents = ResidentSerializer(source="household.residents", many=True)
    neighbourhood_code = serializers.CharField(source="household.neighbourhood_code")

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "goal",
            "first_step",
            "neighbourhood_code",
            "residents",
        ]


@extend_schema_view(
    list=extend_schema(summary="Cases of the teams you work for", tags=["cases"]),
    retrieve=extend_schema(summary="One case with its household members", tags=["cases"]),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SecondFactorPassed, WorksOnCases]

    def get_queryset(self):
        if self.action == "retrieve":
            return (
                selectors.visible_cases(self.request.user)
                .select_related("household", "team")
                .prefetch_related("household__residents")
            )
        return selectors.case_list(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        audit.record_views(
            actor=request.user,
            objects=Case.objects.filter(id__in=ids).only("id"),
            reason="api case list",
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=instance, reason="api")
        return super().retrieve(request, *args, **kwargs)
