"""Partner organisations and their early signals (vroegsignalen).

A `Partner` is an organisation outside the municipality (landlord, energy or water company,
health insurer, ...) of one of the DDAS partner types. It sends through one API client of the
api app's token mechanism (hashed, expiring, revocable tokens issued by the functional
administrator); the client holds only the exclusive scope `signals:write`.

An `EarlySignal` never holds a BSN in plain text: the BSN is stored encrypted (cases.bsn) with
the keyed `person_key` that finds earlier signals about the same person.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .identity import PARTNER_TYPES


class PartnerType(models.TextChoices):
    """DDAS EnumSignaalpartner: the values are the model's own strings (used in its export)."""

    ENERGY = "Energie", _("Energy")
    RENT = "Huur", _("Rent")
    MORTGAGE = "Hypotheek", _("Mortgage")
    CAK_HEALTH_INSURANCE = "CAK Zorgverzekeringen", _("CAK health insurance")
    HEALTH = "Zorg", _("Health insurance")
    WATER = "Water", _("Water")
    DUO = "DUO", _("DUO")
    TAX = "Belastingdienst", _("Tax authority")
    CAK_OWN_CONTRIBUTION = "CAK Eigen bijdrage", _("CAK own contribution")
    OTHER = "Overige", _("Other")
    ALLOWANCES = "Dienst Toeslagen", _("Allowances service")


assert set(PartnerType.values) == set(PARTNER_TYPES)  # one list, two spellings of it


class Source(models.TextChoices):
    """Where signals come from: a partner outside the municipality (a DDAS signaalpartner,
    sending through the API), or one of the municipality's own departments handing over a
    resident warmly (e.g. Werk en Inkomen when a benefit ends): not a creditor signal, so
    never in the DDAS export, but triaged in the same queue."""

    PARTNER = "partner", _("Partner")
    DEPARTMENT = "department", _("Department of the municipality")


class Partner(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("partner type"), max_length=30, choices=PartnerType.choices)
    enabled = models.BooleanField(
        _("enabled by the municipality"),
        default=False,
        help_text=_(
            "Rent, energy, water and health insurance partners may always send signals. "
            "Other types only when the municipality enables them, e.g. for an experiment."
        ),
    )
    enabled_reason = models.CharField(_("ground for enabling"), max_length=300, blank=True)
    holds_bsn = models.BooleanField(
        _("may send a BSN"),
        default=False,
        help_text=_("Only for a partner that lawfully holds the citizen service number."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PARTNER
    )
    # A department enters its handovers through a form, so it has no API client.
    api_client = models.OneToOneField(
        "api.ApiClient",
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="partner",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="partner_unique_name"),
            models.CheckConstraint(
                condition=Q(source="department") | Q(api_client__isnull=False),
                name="partner_external_has_client",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SignalKind(models.TextChoices):
    EARLY = "vroeg", _("Early signal")
    UPDATED = "geactualiseerd", _("Updated signal")
    END_OF_SUPPLY = "eindelevering", _("End of supply")


class Status(models.TextChoices):
    """DDAS EnumSignaalstatus, plus "picked up" (the result then lives on the triage)."""

    NEW = "new", _("Not yet picked up")
    PICKED_UP = "picked_up", _("Picked up")
    REPEATED = "repeated", _("Not picked up: repeated signal")
    UNJUSTIFIED = "unjustified", _("Not picked up: unjustified signal")
    DECEASED = "deceased", _("Resident has died")
    NOT_RESIDENT = "not_resident", _("Person is no (longer) a resident of the municipality")
    OTHER_REASON = "other_reason", _("Not picked up: other reason")


class EndResult(models.TextChoices):
    """DDAS EnumEindresultaat: the values are the model's own strings (used in its export)."""

    REPEATED = "Niet opgepakt: herhaalde melding", _("Not picked up: repeated signal")
    UNJUSTIFIED = "Niet opgepakt: onterecht signaal", _("Not picked up: unjustified signal")
    DECEASED = "Inwoner is overleden", _("Resident has died")
    NOT_RESIDENT = (
        "Persoon is geen inwoner (meer) in de gemeente",
        _("Person is no (longer) a resident of the municipality"),
    )
    OTHER_REASON = "Niet opgepakt: andere reden", _("Not picked up: other reason")
    KNOWN_DEBT_HELP = (
        "Inwoner al bekend bij schuldhulpverlening",
        _("Resident already known to debt help"),
    )
    OTHER_TRAJECTORY = (
        "Inwoner heeft al een ander lopend traject",
        _("Resident already has another ongoing trajectory"),
    )
    NO_CONTACT = "Definitief geen contact kunnen krijgen", _("Definitely no contact")
    NO_RESPONSE = "Geen reactie na eerder contact", _("No response after earlier contact")
    NO_HELP_NEEDED = (
        "Inwoner hoeft geen hulp vanuit vroegsignalering",
        _("Resident wants no help from early signalling"),
    )
    SELF_PAID = (
        "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
        _("Resident has paid or made a payment arrangement"),
    )
    ADVICE = "(Budget)advies en/of quick fix", _("(Budget) advice and/or quick fix")
    FOLLOW_UP_FINANCIAL = (
        "Vervolghulp en/of verwijzing financieel",
        _("Follow-up help and/or financial referral"),
    )
    REFERRAL_NO_CONTACT = "Verwijzing zonder contact", _("Referral without contact")
    FOLLOW_UP_OTHER = (
        "Vervolghulp en/of verwijzing niet financieel",
        _("Follow-up help and/or non-financial referral"),
    )


class ContactKind(models.TextChoices):
    """DDAS EnumContactsoort."""

    MAIL = "Mail", _("Email")
    LETTER = "Brief", _("Letter")
    SMS = "SMS/Whatsapp", _("SMS/WhatsApp")
    PHONE = "Telefoon", _("Phone")
    HOME_VISIT = "Huisbezoek", _("Home visit")
    CARD = "Kaartje", _("Card through the door")
    OTHER = "Overige", _("Other")
    ADMINISTRATIVE = "Administratief", _("Administrative")


class PartOfDay(models.TextChoices):
    """DDAS EnumDagdeel."""

    MORNING = "Ochtend", _("Morning")
    AFTERNOON = "Middag", _("Afternoon")
    EVENING = "Avond", _("Evening")


class EarlySignal(models.Model):
    # The id partners see: not a counter, so it tells nothing about other signals.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="signals"
    )
    partner_signal_id = models.CharField(_("partner's signal id"), max_length=100)
    kind = models.CharField(_("kind of signal"), max_length=20, choices=SignalKind.choices)
    crisis = models.BooleanField(_("crisis signal"), default=False)
    warm_handover = models.BooleanField(_("warm handover"), default=False)
    amount = models.DecimalField(_("amount (whole euros)"), max_digits=10, decimal_places=0)
    arrears_since = models.DateField(_("arrears arose on"), null=True, blank=True)
    signal_date = models.DateField(_("signal date"))
    supply_end_date = models.DateField(_("end of supply"), null=True, blank=True)
    # The landlord's legal preconditions (rent signals only).
    reminder_date = models.DateField(_("reminder sent on"), null=True, blank=True)
    personal_contact_sought = models.BooleanField(_("personal contact sought"), default=False)
    pointed_to_debt_help = models.BooleanField(_("pointed to debt help"), default=False)
    no_objection = models.BooleanField(_("no objection to passing on details"), default=False)
    # The person: a BSN (encrypted, see cases.bsn) or an address with date of birth.
    bsn_encrypted = models.CharField(_("BSN (encrypted)"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    person_key = models.CharField(max_length=64)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Triage (issue 15, item 4) routes the signal to a team; unmatched signals wait centrally.
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What triage made of it: the DDAS end result, and the case it led to (opened or linked).
    end_result = models.CharField(
        _("end result"), max_length=80, choices=EndResult.choices, blank=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    # Set when the person data was destroyed (`destroy_expired_signals`): what is left is an
    # anonymous tombstone that still counts in the DDAS export and the report.
    destroyed_at = models.DateTimeField(_("person data destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("early signal")
        verbose_name_plural = _("early signals")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "partner_signal_id"], name="earlysignal_unique_partner_id"
            ),
            models.CheckConstraint(
                condition=~Q(kind="eindelevering") | Q(supply_end_date__isnull=False),
                name="earlysignal_end_of_supply_has_date",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="earlysignal_amount_gte_0"),
        ]
        indexes = [
            models.Index(fields=["partner", "person_key", "signal_date"], name="earlysignal_person")
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def handled(self) -> bool:
        return self.status != Status.NEW

    @property
    def is_handover(self) -> bool:
        return self.partner.source == Source.DEPARTMENT


class PostcodeArea(models.Model):
    """Triage routing: the 4-digit postcode areas (a range, both ends included) a team covers.

    An arriving signal goes to the team whose range holds its postcode's four digits; a
    signal matched by no range (or by a BSN only) waits in the organisation's central queue.
    Kept by the functional administrator in the admin.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.PositiveIntegerField(_("from postcode area"), help_text=_("E.g. 1011"))
    end = models.PositiveIntegerField(_("to postcode area"), help_text=_("E.g. 1018"))

    class Meta:
        verbose_name = _("postcode area of a team")
        verbose_name_plural = _("postcode areas of teams")
        ordering = ["organisation", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=1000, end__lte=9999, start__lte=models.F("end")),
                name="postcodearea_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        own = self.team.organisation_id if self.team_id else None
        if self.team_id and self.organisation_id and own != self.organisation_id:
            raise ValidationError({"team": _("Choose a team of this municipality.")})
        if self.start is not None and self.end is not None:
            if not (1000 <= self.start <= self.end <= 9999):
                raise ValidationError(
                    {"end": _("Give two 4-digit postcode areas, the first not after the second.")}
                )
            overlap = PostcodeArea.objects.filter(
                organisation_id=self.organisation_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlap.exists():
                raise ValidationError(
                    {"start": _("This range overlaps another team's postcode areas.")}
                )


class ContactAttempt(models.Model):
    """One attempt to reach the person of a signal (DDAS contactpoging)."""

    signal = models.ForeignKey(
        EarlySignal, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    kind = models.CharField(_("kind of contact"), max_length=20, choices=ContactKind.choices)
    reached = models.BooleanField(_("reached"), default=False)
    date = models.DateField(_("date"))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["date", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_part_of_day_display()} {self.get_kind_display()}"
