from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maatwerk.core import choices, dates
from maatwerk.core.domains import LifeDomain


class Household(models.Model):
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="households"
    )
    # A non-personal handle used in lists, logs and audit screens instead of names.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    neighbourhood_code = models.CharField(_("neighbourhood code"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference


class Resident(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="residents"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    is_contact = models.BooleanField(_("contact person"), default=False)
    # The BSN is never stored in plain text: see maatwerk.cases.bsn.
    bsn_encrypted = models.CharField(_("BSN (encrypted)"), max_length=200, blank=True, default="")
    bsn_hash = models.CharField(
        _("BSN lookup hash"), max_length=64, blank=True, default="", db_index=True
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-is_contact", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        super().clean()
        dates.check({"birth_date": self.birth_date}, {"birth_date": dates.BIRTH_DATE})

    def set_bsn(self, value: str) -> None:
        """Validate, encrypt and hash `value`; an empty value removes the BSN."""
        from . import bsn

        if not value:
            self.bsn_encrypted = self.bsn_hash = ""
            return
        try:
            number = bsn.validate(value)
        except ValidationError as error:
            raise ValidationError({"bsn": error.messages}) from None
        self.bsn_encrypted = bsn.encrypt(number)
        self.bsn_hash = bsn.lookup_hash(number)

    @property
    def has_bsn(self) -> bool:
        return bool(self.bsn_encrypted)

    def bsn_plain(self) -> str:
        """The full number. Callers showing it must audit the read (see cases.selectors)."""
        from . import bsn

        return bsn.decrypt(self.bsn_encrypted) if self.bsn_encrypted else ""

    @property
    def bsn_masked(self) -> str:
        from . import bsn

        return bsn.mask(self.bsn_plain()) if self.bsn_encrypted else ""


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        """Why a case ends: a choice, so reports can count it without reading free text."""

        GOAL_REACHED = "goal_reached", _("the goal has been reached")
        RESIDENT_STOPPED = "resident_stopped", _("the resident no longer wants help")
        REFERRED = "referred", _("referred to another organisation")
        MOVED = "moved", _("the household moved away")
        NO_CONTACT = "no_contact", _("no contact with the household")
        OTHER = "other", _("other reason")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="cases"
    )
    # Denormalised from the household so access filtering is one indexed column.
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    title = models.CharField(_("short description"), max_length=200)
    goal = models.TextField(_("the resident's goal"), max_length=2000, blank=True)
    first_step = models.CharField(_("first step"), max_length=500, blank=True)
    assigned_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned workers"), blank=True, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["team", "status", "-opened_on"]),
            # The case list and the API: a team's cases newest first, one page at a time.
            models.Index(fields=["team", "-opened_on", "-id"], name="case_team_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="case_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household.reference}: {self.title}"


# The kind of organisation involved in a case or applying a rule: the one list lives in core
# (legal.models.Applier is a part of it, spelled the same, so a blocking rule's `applied_by`
# can be copied onto an obstacle as it is).
OrganisationType = choices.OrganisationType


class Obstacle(models.Model):
    """Knelpunt: a rule (from the regelbank, or described anew) that blocks this household."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="obstacles"
    )
    blocking_rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obstacles",
    )
    # A rule not (yet) in the catalogue; an admin can later promote it into the regelbank.
    description_new_rule = models.TextField(
        _("new rule (not in the regelbank)"), max_length=2000, blank=True, default=""
    )
    applied_by = models.CharField(_("applied by"), max_length=30, choices=OrganisationType.choices)
    effect = models.TextField(_("what it does to this household"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The case's team, organisation, household and neighbourhood, copied when the obstacle is
    # written (cases.grouping owns the rule), so the signal report reads one table by an index.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", db_index=False, editable=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", db_index=False, editable=False
    )
    neighbourhood_code = models.CharField(max_length=10, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["case", "created_at", "id"]
        indexes = [
            # The signal report: a period of the teams' obstacles, grouped and counted by
            # household from the index alone (PostgreSQL; INCLUDE is ignored elsewhere).
            models.Index(
                fields=["team", "created_at"],
                include=["id", "household", "organisation", "neighbourhood_code", "blocking_rule"],
                name="obstacle_team_period_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(blocking_rule__isnull=False) & Q(description_new_rule=""))
                | (Q(blocking_rule__isnull=True) & ~Q(description_new_rule="")),
                name="obstacle_rule_xor_new_rule",
            ),
            models.CheckConstraint(
                condition=Q(applied_by__in=[o.value for o in OrganisationType]),
                name="obstacle_applied_by_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.rule_name}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.team_id is None:
            from . import grouping

            grouping.apply([self], grouping.for_cases([self.case_id]))
        super().save(*args, **kwargs)

    @property
    def rule_name(self) -> str:
        if self.blocking_rule_id:
            return self.blocking_rule.name
        return self.description_new_rule or ""


class CaseLifeDomain(models.Model):
    """A life domain (leefgebied) in trouble in a case: a join row, so it can be indexed."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="life_domains"
    )
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)

    class Meta:
        verbose_name = _("life domain of a case")
        verbose_name_plural = _("life domains of cases")
        ordering = ["case", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["case", "domain"], name="caselifedomain_unique"),
            models.CheckConstraint(
                condition=Q(domain__in=[d.value for d in LifeDomain]),
                name="caselifedomain_domain_valid",
            ),
        ]
        # Filtering the case list by life domain starts from the domain.
        indexes = [models.Index(fields=["domain", "case"], name="caselifedomain_domain_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.domain}"


class CaseOrganisation(models.Model):
    """An organisation (by type) involved in a case, with a note on who the contact is."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="organisations"
    )
    organisation_type = models.CharField(
        _("organisation"), max_length=30, choices=OrganisationType.choices
    )
    contact_note = models.CharField(_("contact"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("organisation involved")
        verbose_name_plural = _("organisations involved")
        ordering = ["case", "organisation_type", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_type__in=[o.value for o in OrganisationType]),
                name="caseorganisation_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.organisation_type}"


class CaseNote(models.Model):
    """One entry on a case's timeline: a note, or an event (a meeting, a letter, a decision)."""

    class Kind(models.TextChoices):
        NOTE = "note", pgettext_lazy("case note", "note")
        EVENT = "event", _("event")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"), max_length=4000)
    happened_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("case note", "note")
        verbose_name_plural = _("notes")
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["note", "event"]), name="casenote_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-happened_on", "-id"], name="casenote_timeline_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.happened_on}: {self.kind}"
