"""The partner API (issue 15): `POST /api/v1/vroegsignalen` (one signal or a batch of up to
1,000) and `GET /api/v1/vroegsignalen/{id}` (the partner-visible result).

Only the API client of an active partner reaches these views, and a partner's client reaches
nothing else (api.models.EXCLUSIVE_SCOPES). Field names follow the DDAS Vroegsignalering
vocabulary. Every error is problem+json (api.exceptions); a batch answers per signal.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from maatwerk.api.exceptions import problem_of
from maatwerk.api.models import Scope
from maatwerk.api.permissions import api_client
from maatwerk.api.schema import ProblemSerializer
from maatwerk.cases import bsn as bsn_lib

from . import identity, selectors, services
from .models import SignalKind

API_VERSION = settings.SPECTACULAR_SETTINGS["VERSION"]


# --- access ------------------------------------------------------------------------------------


def _partner(request):
    if not hasattr(request, "_partner"):
        request._partner = selectors.partner_of_client(api_client(request))
    return request._partner


class IsPartnerClient(BasePermission):
    """The API client of an active partner, holding the partner scope; no person."""

    message = _lazy("Only a partner's API client uses this endpoint.")

    def has_permission(self, request, view):
        client = api_client(request)
        if client is None or not client.has_scopes([Scope.SIGNALS_WRITE]):
            return False
        partner = _partner(request)
        return partner is not None and partner.is_active


class PartnerRateThrottle(SimpleRateThrottle):
    """MAATWERK_PARTNER_RATE requests per API client (a batch counts once): 429 beyond it.

    One counter per client and fixed window in Django's cache, raised with the cache's atomic
    `add` + `incr` (DRF's own throttle reads a list, appends and writes it back, so two worker
    processes could both pass at the limit). With a shared cache (CACHE_URL redis://)
    every worker process counts in the same counter; with locmem:// each process has its own.
    """

    scope = "partner"

    def get_rate(self):
        return settings.MAATWERK_PARTNER_RATE

    def get_cache_key(self, request, view):
        client = api_client(request)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        self.count = count_in_window(f"{self.key}:{window}", self.duration)
        return self.count <= self.num_requests

    def wait(self):
        return max(0.0, self.window_end - self.now)


def count_in_window(key: str, seconds: int) -> int:
    """Add one to the counter `key` (made, expiring with its window, when absent) and return
    it. In Redis `incr` is atomic (INCR), so no two processes read the same value; the other
    backends read and write, shared but not atomic (docs/partners.md: use Redis)."""
    cache = SimpleRateThrottle.cache
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a fresh window
        cache.add(key, 1, timeout=seconds + 1)
        return 1


# --- input -------------------------------------------------------------------------------------


def _not_future(day: date, field: str | None) -> None:
    """A field's own validator passes no name (DRF names the field itself)."""
    # One day of grace: a partner's clock and time zone may run ahead of ours.
    if day > date.today() + timedelta(days=1):
        message = _("This date lies in the future.")
        raise ValidationError({field: message} if field else message, code="future_date")


def api_date(**kwargs) -> serializers.DateField:
    """A date in ISO form, with a Dutch message for an impossible or badly written one."""
    return serializers.DateField(
        error_messages={
            "invalid": _("This date does not exist or is not written as YYYY-MM-DD."),
            "datetime": _("Give a date (YYYY-MM-DD), not a date and time."),
        },
        **kwargs,
    )


class PersonSerializer(serializers.Serializer):
    bsn = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Burgerservicenummer (9 digits, eleven-test). Only partners that lawfully "
        "hold it; then postcode, house number and date of birth may be left out.",
    )
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    huisnummer = serializers.IntegerField(required=False, min_value=1, max_value=99999)
    huisnummertoevoeging = serializers.CharField(required=False, allow_blank=True, max_length=10)
    geboortedatum = api_date(required=False)

    def validate_bsn(self, value):
        if not value:
            return ""
        try:
            return bsn_lib.validate(value)
        except Exception as error:  # the message never repeats the number
            raise ValidationError(error.messages[0], code=error.code) from None

    def validate_postcode(self, value):
        value = identity.normalise_postcode(value)
        if value and not identity.is_valid_postcode(value):
            raise ValidationError(_("This is not a Dutch postcode (1234 AB)."), code="postcode")
        return value

    def validate_geboortedatum(self, value):
        _not_future(value, None)
        if value < date(1900, 1, 1):
            raise ValidationError(_("This date of birth is not possible."), code="invalid_date")
        return value

    def validate(self, attrs):
        if attrs.get("bsn"):
            return attrs
        missing = {
            field: _("Without a BSN the person is named by postcode, house number and date of "
                     "birth.")
            for field in ("postcode", "huisnummer", "geboortedatum")
            if not attrs.get(field)
        }  # fmt: skip
        if missing:
            raise ValidationError(missing, code="required")
        return attrs


class RentConditionsSerializer(serializers.Serializer):
    """The landlord's legal preconditions (Besluit gemeentelijke schuldhulpverlening, art. 3):
    all four are required for a rent signal, which is refused (422) when one is missing."""

    herinneringVerstuurdOp = api_date(required=False, allow_null=True)
    persoonlijkContactGezocht = serializers.BooleanField(required=False, allow_null=True)
    gewezenOpSchuldhulpverlening = serializers.BooleanField(required=False, allow_null=True)
    geenBezwaarTegenDoorgifte = serializers.BooleanField(required=False, allow_null=True)


class ContactSerializer(serializers.Serializer):
    telefoonnummer = serializers.RegexField(
        r"^\+?[0-9 ()-]{6,20}$", required=False, allow_blank=True, max_length=30
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)


class SignalInSerializer(serializers.Serializer):
    partnerSignaalId = serializers.RegexField(
        r"^[\w.:/-]+$",
        max_length=100,
        help_text="Your own id of the signal, unique per partner: sending it again answers "
        "the original (200) and creates nothing.",
    )
    soortSignaal = serializers.ChoiceField(choices=SignalKind.values)
    crisissignaal = serializers.BooleanField(default=False)
    warmeOverdracht = serializers.BooleanField(
        default=False, help_text="There is already contact with the person."
    )
    bedrag = serializers.IntegerField(
        min_value=0, max_value=9_999_999, help_text="The arrears in whole euros."
    )
    ontstaansdatum = api_date(required=False, allow_null=True)
    signaaldatum = api_date()
    einddatumLevering = api_date(
        required=False, allow_null=True, help_text="Required for `eindelevering`."
    )
    huurvoorwaarden = RentConditionsSerializer(required=False)
    persoon = PersonSerializer()
    contactgegevens = ContactSerializer(required=False)

    def validate(self, attrs):
        _not_future(attrs["signaaldatum"], "signaaldatum")
        since = attrs.get("ontstaansdatum")
        if since:
            _not_future(since, "ontstaansdatum")
        if since and since > attrs["signaaldatum"]:
            raise ValidationError(
                {"ontstaansdatum": _("The arrears cannot arise after the signal date.")},
                code="invalid_date",
            )
        if attrs["soortSignaal"] == SignalKind.END_OF_SUPPLY and not attrs.get("einddatumLevering"):
            raise ValidationError(
                {"einddatumLevering": _("An end-of-supply signal needs the end date.")},
                code="required",
            )
        return attrs


def internal(attrs: dict) -> dict:
    """The validated signal in the model's names, as services.receive takes it."""
    person = attrs["persoon"]
    rent = attrs.get("huurvoorwaarden") or {}
    contact = attrs.get("contactgegevens") or {}
    return {
        "partner_signal_id": attrs["partnerSignaalId"],
        "kind": attrs["soortSignaal"],
        "crisis": attrs["crisissignaal"],
        "warm_handover": attrs["warmeOverdracht"],
        "amount": attrs["bedrag"],
        "arrears_since": attrs.get("ontstaansdatum"),
        "signal_date": attrs["signaaldatum"],
        "supply_end_date": attrs.get("einddatumLevering"),
        "rent": {
            "reminder_date": rent.get("herinneringVerstuurdOp"),
            "personal_contact_sought": rent.get("persoonlijkContactGezocht"),
            "pointed_to_debt_help": rent.get("gewezenOpSchuldhulpverlening"),
            "no_objection": rent.get("geenBezwaarTegenDoorgifte"),
        },
        "bsn": person.get("bsn") or "",
        "postcode": person.get("postcode") or "",
        "house_number": person.get("huisnummer"),
        "house_number_addition": person.get("huisnummertoevoeging") or "",
        "birth_date": person.get("geboortedatum"),
        "phone": contact.get("telefoonnummer") or "",
        "email": contact.get("email") or "",
    }


def validate_all(items: list) -> list[dict | ValidationError]:
    """Each signal validated on its own: its data in model names, or its error.

    One serializer instance for the whole batch: DRF copies a serializer's fields for every new
    instance, which cost ~4 ms a signal (most of a batch's time); validating with the same
    instance builds them once. The instance is the request's own, so nothing is shared."""
    validator = SignalInSerializer()
    results: list[dict | ValidationError] = []
    for item in items:
        if not isinstance(item, dict):
            results.append(ValidationError([_("A signal is a JSON object.")], code="invalid"))
            continue
        try:
            results.append(internal(validator.run_validation(item)))
        except ValidationError as error:
            refused = ValidationError(error.detail)
            # The partner matches answers by its own id: keep it when it was sent as text.
            sent = item.get("partnerSignaalId")
            refused.partner_signal_id = sent[:100] if isinstance(sent, str) else ""
            results.append(refused)
    return results


class BatchInSerializer(serializers.Serializer):
    vroegsignalen = SignalInSerializer(many=True, help_text="1 to 1,000 signals.")


# --- output ------------------------------------------------------------------------------------


class SignalOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The municipality's id of the signal.")
    partnerSignaalId = serializers.CharField()
    status = serializers.ChoiceField(
        choices=list(selectors.FEEDBACK),
        help_text="What the partner may know: picked up, not picked up, repeated, unjustified "
        "— never why another reason, never anything about the household.",
    )
    statusOmschrijving = serializers.CharField()
    ontvangenOp = serializers.DateTimeField()


_DATETIME = serializers.DateTimeField()


def out(signal) -> dict:
    """A signal as SignalOutSerializer describes it, built directly: a serializer instance per
    signal would copy its fields a thousand times per batch."""
    code = selectors.feedback(signal)
    return {
        "id": str(signal.public_id),
        "partnerSignaalId": signal.partner_signal_id,
        "status": code,
        "statusOmschrijving": selectors.FEEDBACK[code],
        "ontvangenOp": _DATETIME.to_representation(signal.received_at),
    }


class ResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The signal's place in the batch, from 0.")
    partnerSignaalId = serializers.CharField(allow_blank=True)
    status = serializers.IntegerField(
        help_text="201 created, 200 a replay (the original), 400 invalid, 422 refused."
    )
    vroegsignaal = SignalOutSerializer(required=False)
    probleem = ProblemSerializer(required=False)


class BatchOutSerializer(serializers.Serializer):
    resultaten = ResultSerializer(many=True)


def _result(outcome) -> dict:
    result = {"index": outcome.index, "partnerSignaalId": outcome.partner_signal_id}
    if outcome.error is not None:
        body = problem_of(outcome.error)
        return {**result, "status": body["status"], "probleem": body}
    status = 201 if outcome.created else 200
    return {**result, "status": status, "vroegsignaal": out(outcome.signal)}


# --- views -------------------------------------------------------------------------------------

VERSION_HEADER = OpenApiParameter(
    "API-Version",
    type=str,
    location=OpenApiParameter.HEADER,
    response=True,
    description="The full version of the API (NL API Design Rules, API-57).",
)

PROBLEM = "application/problem+json"
TOO_MANY = OpenApiResponse(
    ProblemSerializer,
    description="The client exceeded its rate (`throttled`); `Retry-After` says when to retry.",
)

SIGNAL_EXAMPLE = {
    "partnerSignaalId": "WC-2026-000123",
    "soortSignaal": "vroeg",
    "crisissignaal": False,
    "warmeOverdracht": False,
    "bedrag": 1450,
    "ontstaansdatum": "2026-08-01",
    "signaaldatum": "2026-11-02",
    "huurvoorwaarden": {
        "herinneringVerstuurdOp": "2026-10-01",
        "persoonlijkContactGezocht": True,
        "gewezenOpSchuldhulpverlening": True,
        "geenBezwaarTegenDoorgifte": True,
    },
    "persoon": {
        "postcode": "1234AB",
        "huisnummer": 12,
        "huisnummertoevoeging": "A",
        "geboortedatum": "1980-05-17",
    },
    "contactgegevens": {"telefoonnummer": "06 12345678", "email": "huurder@example.nl"},
}


class _PartnerView(APIView):
    permission_classes = [IsPartnerClient]
    throttle_classes = [PartnerRateThrottle]
    required_scopes = [Scope.SIGNALS_WRITE]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


class SignalCollectionView(_PartnerView):
    @extend_schema(
        operation_id="vroegsignalen_create",
        summary="Send one early signal, or a batch of up to 1,000",
        description=(
            "One signal (an object) answers 201 with the new signal, or 200 with the original "
            "when its `partnerSignaalId` was sent before (nothing is created). A signal about "
            "the same person (the same BSN, or postcode, house number, addition and date of "
            "birth) within the repeat window (default 3 months) of an earlier handled one, "
            "whose amount has not risen, is accepted and closed as "
            "`niet_opgepakt_herhaalde_melding`.\n\n"
            'A batch `{"vroegsignalen": [...]}` answers 200 with one result per signal, in '
            "order, each with its own status and either `vroegsignaal` or `probleem`.\n\n"
            "Errors: 400 a field is invalid (BSN eleven-test, postcode, impossible date, "
            "`einddatumLevering` missing for `eindelevering`); 422 a rule refused the signal "
            "(a rent precondition is missing: `partners.precondition_missing`; a BSN from a "
            "partner that may not send one: `partners.bsn_not_allowed`). `errors[].field` "
            "names the field, nested with dots (`persoon.bsn`). 403 also when the partner type "
            "is not enabled to send; 429 beyond the client's rate (see `Retry-After`)."
        ),
        tags=["vroegsignalen"],
        parameters=[VERSION_HEADER],
        request=PolymorphicProxySerializer(
            component_name="VroegsignaalOfBatch",
            serializers=[SignalInSerializer, BatchInSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: OpenApiResponse(SignalOutSerializer, description="The signal was received."),
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="VroegsignaalOfBatchresultaat",
                    serializers=[SignalOutSerializer, BatchOutSerializer],
                    resource_type_field_name=None,
                ),
                description="A replay (the original signal), or the results of a batch.",
            ),
            (422, PROBLEM): OpenApiResponse(
                ProblemSerializer, description="A rule refused the signal (`errors` names it)."
            ),
            (429, PROBLEM): TOO_MANY,
        },
        examples=[
            OpenApiExample("One rent signal", value=SIGNAL_EXAMPLE, request_only=True),
            OpenApiExample("A batch", value={"vroegsignalen": [SIGNAL_EXAMPLE]}, request_only=True),
            OpenApiExample(
                "Received",
                value={
                    "id": "7d0c1b9e-2f7a-4f38-9a63-5b1e0c1f9a11",
                    "partnerSignaalId": "WC-2026-000123",
                    "status": "nog_niet_opgepakt",
                    "statusOmschrijving": "Nog niet opgepakt",
                    "ontvangenOp": "2026-11-02T09:15:00Z",
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Precondition missing",
                value={
                    "type": "urn:maatwerk:problem:partners.precondition_missing",
                    "title": "Unprocessable Content",
                    "status": 422,
                    "detail": "Invalid input.",
                    "code": "partners.precondition_missing",
                    "errors": [
                        {
                            "field": "huurvoorwaarden.persoonlijkContactGezocht",
                            "code": "partners.precondition_missing",
                            "detail": "A rent signal needs personal contact to have been sought.",
                        }
                    ],
                },
                response_only=True,
                status_codes=["422"],
                media_type=PROBLEM,
            ),
        ],
    )
    def post(self, request):
        partner = _partner(request)
        if not services.may_send(partner):
            raise PermissionDenied(_("This partner type may not send signals (not enabled)."))
        body = request.data
        if isinstance(body, dict) and "vroegsignalen" in body:
            items = body["vroegsignalen"]
            limit = settings.MAATWERK_EARLY_SIGNAL_BATCH_MAX
            if not isinstance(items, list) or not items:
                raise ValidationError({"vroegsignalen": [_("A batch is a list of signals.")]})
            if len(items) > limit:
                raise ValidationError(
                    {"vroegsignalen": [_("At most %(max)d signals per batch.") % {"max": limit}]},
                    code="max_length",
                )
            outcomes = services.receive(partner=partner, signals=validate_all(items))
            return Response({"resultaten": [_result(o) for o in outcomes]}, status=200)
        [data] = validate_all([body])
        if isinstance(data, ValidationError):
            raise data
        [outcome] = services.receive(partner=partner, signals=[data])
        if outcome.error is not None:
            raise outcome.error
        location = reverse("vroegsignaal-detail", kwargs={"public_id": outcome.signal.public_id})
        return Response(
            out(outcome.signal),
            status=201 if outcome.created else 200,
            headers={"Location": request.build_absolute_uri(location)},
        )


class SignalDetailView(_PartnerView):
    @extend_schema(
        operation_id="vroegsignalen_retrieve",
        summary="The result of one of your signals",
        description="Only the partner that sent the signal sees it, and only the "
        "partner-visible result.",
        tags=["vroegsignalen"],
        parameters=[VERSION_HEADER],
        responses={200: SignalOutSerializer, (429, PROBLEM): TOO_MANY},
    )
    def get(self, request, public_id):
        signal = selectors.signal_of_partner(_partner(request), public_id)
        if signal is None:
            from django.http import Http404

            raise Http404
        return Response(out(signal))
