from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataSubjectRequest(models.Model):
    """A resident's request under the AVG, recorded on the person (issue 17, point 3)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access (GDPR art. 15)")
        RECTIFICATION = "rectification", _("Rectification (GDPR art. 16)")
        RESTRICTION = "restriction", _("Restriction of processing (GDPR art. 18)")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "cases.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    # The AVG gives a month to answer (art. 12 lid 3).
    due_on = models.DateField(_("answer due by"))
    note = models.TextField(_("what was asked or changed"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="dsr_due_after_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"


class RetentionRule(models.Model):
    """How long the records of one kind of help are kept (issue 17, point 1): a row of the
    Selectielijst gemeenten en intergemeentelijke organen, loaded from
    privacy/data/retention_rules.csv by `load_catalogue`. A row with an organisation is that
    organisation's own period for the same code (organisations that are not municipalities set
    their own periods); it wins over the shared row for that organisation."""

    class CountedFrom(models.TextChoices):
        CASE_CLOSED = "case_closed", _("the closing of the case")
        PROVISION_ENDED = "provision_ended", _("the end of the provision")

    code = models.CharField(_("code"), max_length=40)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind_of_help = models.CharField(_("kind of help"), max_length=300)
    category = models.CharField(_("Selectielijst category"), max_length=20, blank=True)
    result_type = models.CharField(_("result type"), max_length=200, blank=True)
    period_years = models.PositiveSmallIntegerField(_("period (years)"), default=0)
    period_days = models.PositiveIntegerField(_("period (days)"), default=0)
    counted_from = models.CharField(_("counted from"), max_length=20, choices=CountedFrom.choices)
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    verified = models.BooleanField(
        _("checked against the published list"),
        default=False,
        help_text=_("False: read from a machine-readable copy, not yet from the Staatscourant."),
    )
    version = models.CharField(_("version"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    # None: the row is as the data files wrote it; a person who changes it is named here, and a
    # later load keeps that local change (core.catalogue_sync).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["code", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="retentionrule_shared_code_unique",
            ),
            models.UniqueConstraint(
                fields=["code", "organisation"], name="retentionrule_org_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_years__gt=0) | Q(period_days__gt=0),
                name="retentionrule_period_positive",
            ),
            models.CheckConstraint(
                condition=Q(counted_from__in=["case_closed", "provision_ended"]),
                name="retentionrule_counted_from_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period_label}"

    @property
    def period_label(self) -> str:
        from . import retention

        return retention.period_label(self.period_years, self.period_days)


class LegalHold(models.Model):
    """A case kept past its retention period (a court case, an objection, an investigation):
    while the hold stands the case is never proposed for destruction and never destroyed."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason for the hold"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    # Why the hold ended (required when lifting); like the reason, it names no person.
    lift_reason = models.CharField(_("reason for lifting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True),
                name="legalhold_one_active_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.set_at:%Y-%m-%d}"


class DestructionList(models.Model):
    """A vernietigingslijst: the cases of one organisation past their retention period,
    proposed by `propose_destruction_list`, reviewed and approved by the privacy officer. Kept
    for good (Selectielijst 19.1.18, "archiefvernietiging": blijvend bewaren): it names cases
    by their reference only."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="proposed"),
                name="destructionlist_one_open_per_org",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", approved_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False),
                name="destructionlist_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Destruction list')} {self.proposed_on:%Y-%m-%d}"


class DestructionItem(models.Model):
    """One case on a destruction list, with what it was and what became of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        REMOVED = "removed", _("removed from the list")
        HELD = "held", _("kept: legal hold")
        DESTROYED = "destroyed", _("destroyed")

    destruction_list = models.ForeignKey(
        DestructionList, on_delete=models.PROTECT, related_name="items"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )

    class Ground(models.TextChoices):
        AVG_17 = "avg_17", _("GDPR art. 17 (right to erasure)")
        JEUGDWET_7_3_9 = (
            "jeugdwet_7_3_9",
            _("Jeugdwet art. 7.3.9 (destruction of youth care files)"),
        )

    # The household's reference (never a name): the list is read after the case is gone.
    case_reference = models.CharField(_("reference"), max_length=20)
    # Empty for a case put on the list on request before its period ended (or still running).
    retention_end = models.DateField(_("retention period ended"), null=True, blank=True)
    # On request of the person concerned (issue 17, point 1): the legal ground and the day the
    # request came in; empty for a case proposed because its retention period ended.
    request_ground = models.CharField(
        _("legal ground of the request"), max_length=20, choices=Ground.choices, blank=True
    )
    requested_on = models.DateField(_("request received on"), null=True, blank=True)
    rule_codes = models.CharField(_("retention rules"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        verbose_name = _("case on a destruction list")
        verbose_name_plural = _("cases on a destruction list")
        ordering = ["destruction_list", "retention_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "case"], name="destructionitem_once_per_list"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="destroyed"), name="destructionitem_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="destroyed") | Q(destroyed_at__isnull=False),
                name="destructionitem_destroyed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(request_ground="", requested_on__isnull=True)
                | (~Q(request_ground="") & Q(requested_on__isnull=False)),
                name="destructionitem_request_has_ground_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(request_ground="") | Q(retention_end__isnull=False),
                name="destructionitem_scheduled_has_retention_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.status}"

    @property
    def on_request(self) -> bool:
        return bool(self.request_ground)
