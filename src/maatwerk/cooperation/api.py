"""API of requests to outside organisations: list, read, create, send, consent, answer,
escalate, and their contacts, through the same services and selectors (and access rules) as the
pages. The directory of organisations is read-only here: the functional administrator keeps it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from maatwerk.api.permissions import SecondFactorPassed, WorksOnCases
from maatwerk.audit import services as audit
from maatwerk.cases.selectors import visible_cases
from maatwerk.core import dates
from maatwerk.legal.models import Provision

from . import selectors, services
from .models import (
    Answer,
    Channel,
    ContactPoint,
    CooperationRequest,
    ExternalOrganisation,
    Referral,
    ReferralRoute,
)


class OutsideContactPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPoint
        fields = ["id", "department", "channel", "address", "notes", "for_formal_requests"]


class OutsideOrganisationSerializer(serializers.ModelSerializer):
    contact_points = OutsideContactPointSerializer(
        many=True, read_only=True, source="active_points"
    )

    class Meta:
        model = ExternalOrganisation
        fields = ["id", "name", "organisation_type", "category", "website", "contact_points"]


class RequestContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    minutes = serializers.IntegerField(min_value=1, max_value=services.MAX_MINUTES)
    occurred_on = serializers.DateField(required=False, validators=[dates.EVENT_DATE])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RequestSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField(help_text="Sent, unanswered, past the due date.")
    minutes_spent = serializers.IntegerField(read_only=True)

    class Meta:
        model = CooperationRequest
        fields = [
            "id", "case", "plan", "organisation", "organisation_name", "contact_point",
            "question", "provision", "consent_on", "consent_scope", "status", "status_label",
            "overdue", "sent_on", "due_on", "answer", "answer_reason", "answered_on",
            "minutes_spent", "created_at",
        ]  # fmt: skip

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class RequestCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    plan = serializers.IntegerField(required=False, allow_null=True)
    organisation = serializers.IntegerField()
    contact_point = serializers.IntegerField(required=False, allow_null=True)
    question = serializers.CharField(max_length=2000)
    provision = serializers.PrimaryKeyRelatedField(
        queryset=Provision.objects.all(), required=False, allow_null=True
    )
    consent_on = serializers.DateField(
        required=False, allow_null=True, validators=[dates.EVENT_DATE]
    )
    consent_scope = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    send = serializers.BooleanField(required=False, default=False)
    sent_on = serializers.DateField(required=False, allow_null=True, validators=[dates.EVENT_DATE])
    due_on = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED_DATE])


class ConsentSerializer(serializers.Serializer):
    consent_on = serializers.DateField(validators=[dates.EVENT_DATE])
    consent_scope = serializers.CharField(max_length=1000)


class SendSerializer(serializers.Serializer):
    sent_on = serializers.DateField(required=False, allow_null=True, validators=[dates.EVENT_DATE])
    due_on = serializers.DateField(required=False, allow_null=True, validators=[dates.PLANNED_DATE])


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Answer.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    answered_on = serializers.DateField(required=False, validators=[dates.EVENT_DATE])


class EscalateSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=ReferralRoute.choices)
    to = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="An escalation route of the directory.",
    )
    reason = serializers.CharField(max_length=2000)
    sent_on = serializers.DateField(required=False, allow_null=True, validators=[dates.EVENT_DATE])


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "request", "route", "to", "question", "status", "sent_on"]


REQUEST_EXAMPLE = {
    "case": 1,
    "plan": 1,
    "organisation": 1,
    "question": "Stop de verrekening van de kinderopvangtoeslag met de schuld.",
    "consent_on": "2026-11-20",
    "consent_scope": "Naam, BSN en de beschikking kinderopvangtoeslag.",
    "send": True,
}


@extend_schema_view(
    list=extend_schema(
        summary="Requests to outside organisations you may see", tags=["cooperation"]
    ),
    retrieve=extend_schema(summary="One request to an outside organisation", tags=["cooperation"]),
    create=extend_schema(
        summary="Record a request to an outside organisation (and mark it sent)",
        tags=["cooperation"],
        request=RequestCreateSerializer,
        responses={201: RequestSerializer, 400: dict},
        examples=[OpenApiExample("Toeslagen: stop the offset", value=REQUEST_EXAMPLE)],
    ),
)
class CooperationRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [SecondFactorPassed, WorksOnCases]
    serializer_class = RequestSerializer

    def get_queryset(self):
        return selectors.request_list(self.request.user)

    def get_serializer_class(self):
        return RequestCreateSerializer if self.action == "create" else RequestSerializer

    def _answer(self, pk: int, status_code=status.HTTP_200_OK) -> Response:
        coop = selectors.request_detail(self.request.user, pk)
        return Response(RequestSerializer(coop).data, status=status_code)

    def _writable(self) -> CooperationRequest:
        # 404 for a request the user may not see; the service refuses one they may not write.
        return self.get_object()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        audit.record_views(
            actor=request.user,
            objects=CooperationRequest.objects.filter(id__in=ids).only("id"),
            reason="api",
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        coop = self.get_object()
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=coop, reason="api")
        return Response(RequestSerializer(coop).data)

    def create(self, request, *args, **kwargs):
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = visible_cases(request.user).filter(pk=data.pop("case")).first()
        if case is None:
            raise ValidationError({"case": [_("This case does not exist or is not yours.")]})
        plan_id = data.pop("plan", None)
        plan = case.plans.filter(pk=plan_id).first() if plan_id else None
        if plan_id and plan is None:
            raise ValidationError({"plan": [_("Choose a plan of this case.")]})
        organisation = (
            selectors.usable_organisations(case.team_id).filter(pk=data.pop("organisation")).first()
        )
        if organisation is None:
            raise ValidationError(
                {"organisation": [_("This organisation is not in the directory for your team.")]}
            )
        point_id = data.pop("contact_point", None)
        point = organisation.contact_points.filter(pk=point_id).first() if point_id else None
        if point_id and point is None:
            raise ValidationError(
                {"contact_point": [_("Choose a contact point of this organisation.")]}
            )
        coop = services.create_request(
            request.user, case=case, plan=plan, organisation=organisation, contact_point=point,
            **data,
        )  # fmt: skip
        return self._answer(coop.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the resident's consent (before sending)",
        tags=["cooperation"],
        request=ConsentSerializer,
        responses={200: RequestSerializer, 400: dict},
    )
    @action(detail=True, methods=["post"])
    def consent(self, request, pk=None):
        coop = self._writable()
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_consent(request.user, coop, **serializer.validated_data)
        return self._answer(coop.pk)

    @extend_schema(
        summary="Mark the request sent; the answer is due 14 days later unless given",
        tags=["cooperation"],
        request=SendSerializer,
        responses={200: RequestSerializer, 400: dict},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        coop = self._writable()
        serializer = SendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.send_request(request.user, coop, **serializer.validated_data)
        return self._answer(coop.pk)

    @extend_schema(
        summary="Record the organisation's answer",
        description="`partly` and `refused` need the `reason` the organisation gave.",
        tags=["cooperation"],
        request=AnswerSerializer,
        responses={200: RequestSerializer, 400: dict},
        examples=[OpenApiExample("Agreed", value={"answer": "agreed"})],
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        coop = self._writable()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_answer(request.user, coop, **serializer.validated_data)
        return self._answer(coop.pk)

    @extend_schema(
        summary="Escalate a refused or overdue request beyond the organisation",
        description="`route` is `breakthrough_table` or (rules of national organisations) "
        "`national_desk`; `to`, when given, is an escalation route of the directory that takes "
        "that route.",
        tags=["cooperation"],
        request=EscalateSerializer,
        responses={201: ReferralSerializer, 400: dict},
        examples=[
            OpenApiExample(
                "To the Landelijk Maatwerkloket",
                value={"route": "national_desk", "reason": "Geen antwoord binnen de termijn."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        coop = self._writable()
        serializer = EscalateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        to_id = data.pop("to", None)
        to = selectors.escalation_routes().filter(pk=to_id).first() if to_id else None
        if to_id and to is None:
            raise ValidationError({"to": [_("Choose an escalation route from the directory.")]})
        referral = services.escalate(request.user, coop, to=to, **data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The contacts of a request",
        tags=["cooperation"],
        responses={200: RequestContactSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Log a contact (channel and minutes)",
        tags=["cooperation"],
        request=RequestContactSerializer,
        responses={201: RequestContactSerializer, 400: dict},
        examples=[OpenApiExample("A call", value={"channel": "phone", "minutes": 20})],
    )
    @action(detail=True, methods=["get", "post"])
    def contacts(self, request, pk=None):
        coop = self.get_object()
        if request.method == "GET":
            audit.record(
                actor=request.user, action=audit.Action.VIEW, obj=coop, reason="api contacts"
            )
            rows = selectors.contacts_of(coop)
            return Response(RequestContactSerializer(rows, many=True).data)
        serializer = RequestContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.add_contact(request.user, coop, **serializer.validated_data)
        return Response(RequestContactSerializer(contact).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="The directory of outside organisations", tags=["cooperation"]),
    retrieve=extend_schema(summary="One outside organisation", tags=["cooperation"]),
)
class OutsideOrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The accepted organisations with their contact points: no personal data."""

    permission_classes = [SecondFactorPassed, IsAuthenticated]
    serializer_class = OutsideOrganisationSerializer

    def get_queryset(self):
        return selectors.directory()
