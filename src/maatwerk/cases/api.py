"""Cases and obstacles under /api/v1/: the same access rules as the pages.

A BSN is returned in full only to workers and team leads of the case's team (and that read is
audited); everyone else gets it masked.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from maatwerk.accounts.models import Team
from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit
from maatwerk.core import dates
from maatwerk.core.domains import LifeDomain
from maatwerk.legal.models import BlockingRule

from . import selectors, services
from .models import Case, CaseNote, CaseOrganisation, Obstacle, OrganisationType, Resident


class ResidentSerializer(serializers.ModelSerializer):
    bsn = serializers.SerializerMethodField(
        help_text="Masked (`******789`) unless you are a worker or team lead of the case's team."
    )

    class Meta:
        model = Resident
        fields = ["id", "first_name", "last_name", "birth_date", "is_contact", "bsn"]

    def get_bsn(self, resident) -> str:
        if not resident.has_bsn:
            return ""
        return resident.bsn_plain() if self.context.get("full_bsn") else resident.bsn_masked


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseOrganisation
        fields = ["organisation_type", "contact_note"]


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", default="", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "happened_on", "text", "author", "created_at"]


class ObstacleSerializer(serializers.ModelSerializer):
    blocking_rule = serializers.PrimaryKeyRelatedField(
        queryset=BlockingRule.objects.all(), allow_null=True, required=False
    )
    blocking_rule_name = serializers.CharField(
        source="blocking_rule.name", default="", read_only=True
    )
    description_new_rule = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    applied_by = serializers.ChoiceField(
        choices=OrganisationType.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty: taken from the blocking rule.",
    )
    effect = serializers.CharField(max_length=2000)

    class Meta:
        model = Obstacle
        fields = [
            "id", "blocking_rule", "blocking_rule_name", "description_new_rule", "applied_by",
            "effect", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at"]


class CaseListSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.reference")
    team = serializers.CharField(source="team.name")

    class Meta:
        model = Case
        fields = ["id", "household", "team", "status", "title", "opened_on"]


class CaseDetailSerializer(CaseListSerializer):
    residents = ResidentSerializer(source="household.residents", many=True)
    neighbourhood_code = serializers.CharField(source="household.neighbourhood_code")
    life_domains = serializers.SlugRelatedField(slug_field="domain", many=True, read_only=True)
    organisations = OrganisationSerializer(many=True, read_only=True)
    notes = NoteSerializer(source="timeline", many=True, read_only=True)
    obstacles = ObstacleSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "goal",
            "first_step",
            "neighbourhood_code",
            "residents",
            "life_domains",
            "organisations",
            "notes",
            "obstacles",
        ]


class NewResidentSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.BIRTH_DATE]
    )
    is_contact = serializers.BooleanField(required=False, default=False)
    bsn = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default="", write_only=True
    )


class CaseCreateSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="Id of a team you work in as worker or team lead.")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    neighbourhood_code = serializers.CharField(
        required=False, allow_blank=True, max_length=10, default=""
    )
    title = serializers.CharField(max_length=200)
    goal = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    first_step = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    # The same limits as the new-case form (issue 9): checked before any row is looked at.
    life_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeDomain.choices),
        required=False,
        default=list,
        max_length=len(LifeDomain.choices),
        error_messages={"max_length": _("Choose at most {max_length} life domains.")},
    )
    organisations = OrganisationSerializer(
        many=True,
        required=False,
        default=list,
        max_length=services.MAX_ORGANISATIONS,
        error_messages={"max_length": _("Choose at most {max_length} organisations.")},
    )
    residents = NewResidentSerializer(
        many=True,
        allow_empty=False,
        max_length=services.MAX_RESIDENTS,
        error_messages={"max_length": _("At most {max_length} residents per household.")},
    )


CASE_EXAMPLE = OpenApiExample(
    "New household with a case",
    request_only=True,
    value={
        "team": 1,
        "neighbourhood_code": "WK036301",
        "title": "Toeslag verrekend met schuld",
        "goal": "Rust in mijn hoofd en mijn huur weer kunnen betalen.",
        "first_step": "Samen de brief van Toeslagen lezen.",
        "life_domains": ["income", "debts"],
        "organisations": [{"organisation_type": "tax_allowances", "contact_note": ""}],
        "residents": [
            {
                "first_name": "Sanne",
                "last_name": "de Vries",
                "birth_date": "1988-03-02",
                "is_contact": True,
                "bsn": "999000007",
            }
        ],
    },
)
OBSTACLE_EXAMPLE = OpenApiExample(
    "Obstacle from the regelbank",
    request_only=True,
    value={
        "blocking_rule": 3,
        "description_new_rule": "",
        "applied_by": "",
        "effect": "De zorgtoeslag wordt volledig verrekend; er blijft te weinig over voor huur.",
    },
)


@extend_schema_view(
    list=extend_schema(summary="Cases of the teams you work for", tags=["cases"]),
    retrieve=extend_schema(
        summary="One case with household members, life domains, organisations, timeline and "
        "obstacles",
        tags=["cases"],
    ),
    create=extend_schema(
        summary="Create a household with its residents and a case",
        description="Workers and team leads, in their own team. A BSN must pass the eleven-test.",
        tags=["cases"],
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
        examples=[CASE_EXAMPLE],
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [SecondFactorPassed, WorksOnCases]

    def get_queryset(self):
        if self.action == "list":
            return selectors.case_list(
                self.request.user, status=self.request.query_params.get("status", "")
            )
        return selectors.visible_cases(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return CaseListSerializer
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "obstacles":
            return ObstacleSerializer
        return CaseDetailSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        audit.record_views(
            actor=request.user,
            objects=Case.objects.filter(id__in=ids).only("id"),
            reason="api case list",
        )
        return response

    def _detail(self, case_id: int, *, reason: str, status_code=status.HTTP_200_OK):
        try:
            case = selectors.case_detail(self.request.user, case_id)
        except Case.DoesNotExist:
            from django.http import Http404

            raise Http404 from None
        full_bsn = services.record_case_read(
            actor=self.request.user,
            case=case,
            residents=case.household.residents.all(),
            reason=reason,
            via="api",
        )
        data = CaseDetailSerializer(case, context={"request": self.request, "full_bsn": full_bsn})
        return Response(data.data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object().pk, reason="api")

    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        team = Team.objects.filter(pk=data.pop("team")).first()
        if team is None or team.pk not in selectors.writable_team_ids(request.user):
            raise PermissionDenied("Only workers and team leads of this team may do this.")
        # A refusal (ValidationError, a cases.* ServiceError) is answered by api.exceptions.
        case = services.create_household_with_case(actor=request.user, team=team, **data)
        return self._detail(case.pk, reason="api create", status_code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The obstacles of a case",
        tags=["cases"],
        responses=ObstacleSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Add an obstacle to a case",
        description="A blocking rule from the regelbank, or a new rule described in "
        "`description_new_rule` (exactly one of the two), and what it does to the household.",
        tags=["cases"],
        request=ObstacleSerializer,
        responses={201: ObstacleSerializer},
        examples=[OBSTACLE_EXAMPLE],
    )
    # The obstacles of one case are few and answered as one list, not paginated.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def obstacles(self, request, pk=None):
        case = self.get_object()
        if request.method == "GET":
            audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="api")
            rows = case.obstacles.select_related("blocking_rule")
            return Response(ObstacleSerializer(rows, many=True).data)
        if not selectors.may_write(request.user, case):
            raise PermissionDenied("Only workers and team leads of this team may do this.")
        serializer = ObstacleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obstacle = services.add_obstacle(actor=request.user, case=case, **serializer.validated_data)
        return Response(ObstacleSerializer(obstacle).data, status=status.HTTP_201_CREATED)
