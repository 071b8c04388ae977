"""Plans (*maatwerkplan*): the tailored solution for one or more obstacles and its justification
on the three corners of the value triangle (legitimacy, involvement, return)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maatwerk.core.choices import SolutionKind
from maatwerk.costs.models import Bearer, CostType, Unit

from . import lifecycle


class Plan(models.Model):
    class Status(models.TextChoices):
        # The allowed steps between these live in `lifecycle` (plain data, tested alone).
        DRAFT = lifecycle.DRAFT, _("draft")
        SUBMITTED = lifecycle.SUBMITTED, _("submitted")
        APPROVED = lifecycle.APPROVED, _("approved")
        REJECTED = lifecycle.REJECTED, _("rejected")
        WITHDRAWN = lifecycle.WITHDRAWN, _("withdrawn")
        PARTLY_PAID = lifecycle.PARTLY_PAID, _("partly paid")
        PAID = lifecycle.PAID, _("paid")
        CLOSED = lifecycle.CLOSED, pgettext_lazy("plan status", "closed")

    class Form(models.TextChoices):
        IN_KIND = "in_kind", _("in kind")
        PAYMENT = "payment", _("payment")

    class Agreement(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNKNOWN = "unknown", _("not known yet")

    class AgreementHow(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        BY_PHONE = "by_phone", _("by phone")
        IN_WRITING = "in_writing", _("in writing")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="plans"
    )
    obstacles = models.ManyToManyField(
        "cases.Obstacle", verbose_name=_("obstacles"), related_name="plans"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The solution: what, by whom, when, how much, in what form, to whom.
    solution = models.TextField(_("the solution"), max_length=4000)
    # A coded kind (core.choices.SolutionKind), so the signals report can count kinds of
    # maatwerk without reading free text.
    solution_kind = models.CharField(
        _("kind of solution"), max_length=30, choices=SolutionKind.choices, blank=True
    )
    by_whom = models.CharField(_("by whom"), max_length=200, blank=True)
    when = models.DateField(_("when"), null=True, blank=True)
    amount_requested = models.DecimalField(
        _("amount requested (euros)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, blank=True)
    payee = models.CharField(_("paid to"), max_length=200, blank=True)
    # The amount decides who decides: where it differs from what the tailored route costs the
    # budget bearer, the plan says why (see triangle.AMOUNT_UNEXPLAINED).
    amount_reason = models.CharField(
        _("why the amount differs from the tailored route's cost"), max_length=500, blank=True
    )
    # Involvement.
    resident_words = models.TextField(
        _("the resident's own words about this plan"), max_length=4000, blank=True
    )
    agreement = models.CharField(
        _("the resident agrees"),
        max_length=10,
        choices=Agreement.choices,
        default=Agreement.UNKNOWN,
    )
    agreement_date = models.DateField(_("date of agreement"), null=True, blank=True)
    agreement_how = models.CharField(
        _("how the agreement was given"), max_length=20, choices=AgreementHow.choices, blank=True
    )
    # Return: the terms of the comparison (the lines are ScenarioLine rows).
    horizon_months = models.PositiveSmallIntegerField(
        _("horizon (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    discount_rate = models.DecimalField(
        _("interest rate for later money (fraction a year)"),
        help_text=_("The discount rate (discontovoet): 0.0225 is 2,25 % a year."),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0225"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.2"))],
    )
    price_year = models.PositiveSmallIntegerField(
        _("prices of the year"),
        null=True,
        blank=True,
        help_text=_("Catalogue amounts are converted to the prices of this year (the price year)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Versions: a rejected or withdrawn plan is revised as a new draft that points back to it.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_reason = models.TextField(_("reason for closing"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gte=0),
                name="plan_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=list(lifecycle.STATUSES)), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=lifecycle.DRAFT) | Q(submitted_at__isnull=False),
                name="plan_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=lifecycle.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(close_reason="")),
                name="plan_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(version=1) & Q(previous_version__isnull=True))
                | (Q(version__gt=1) & Q(previous_version__isnull=False)),
                name="plan_version_links_previous",
            ),
            models.CheckConstraint(
                condition=Q(agreement__in=["yes", "no", "unknown"]), name="plan_agreement_valid"
            ),
            models.CheckConstraint(
                condition=Q(solution_kind="") | Q(solution_kind__in=SolutionKind.values),
                name="plan_solution_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Plan')} {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def status_tone(self) -> str:
        return lifecycle.tone(self.status)


class PlanProvision(models.Model):
    """Legitimacy: a provision from the regelbank with the worker's explanation."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_provisions")
    provision = models.ForeignKey(
        "legal.Provision", verbose_name=_("provision"), on_delete=models.PROTECT, related_name="+"
    )
    explanation = models.TextField(_("why it gives room here"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "provision"], name="plan_provision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.provision_id}"


class Scenario(models.TextChoices):
    STANDARD = "standard", _("standard route")
    TAILORED = "tailored", _("tailored route")


class LineKind(models.TextChoices):
    """What a line is. A forgone line is money the bearer does not take (a benefit not reduced,
    a debt not recovered): a cost to that bearer in the comparison, but nothing is paid, so the
    maatwerkbudget is not charged for it."""

    COST = "cost", _("cost or payment")
    FORGONE_INCOME = "forgone_income", _("forgone income (not reducing or not recovering)")


class ScenarioLine(models.Model):
    """One line of a scenario, kept as a row so a submitted plan can be read back exactly."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    scenario = models.CharField(_("scenario"), max_length=10, choices=Scenario.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    cost_item = models.ForeignKey(
        "costs.CostItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Frozen at submit: the catalogue price version the calculation used.
    version = models.ForeignKey(
        "costs.CostItemVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind of line"), max_length=20, choices=LineKind.choices, default=LineKind.COST
    )
    label = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (€ per unit)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, blank=True)
    bearer = models.CharField(_("who pays"), max_length=40, choices=Bearer.choices, blank=True)
    cost_type = models.CharField(
        _("cost type"), max_length=20, choices=CostType.choices, blank=True
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4, default=1)
    start_month = models.PositiveSmallIntegerField(
        _("starts after (months)"),
        default=0,
        help_text=_("0 if it starts now, 3 if it starts in three months."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("for how many months"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a one-off cost."),
    )
    probability = models.DecimalField(
        _("chance that it happens"),
        max_digits=5,
        decimal_places=4,
        default=1,
        help_text=_("A fraction: 1 if it is certain, 0.5 for an even chance."),
    )

    class Meta:
        verbose_name = _("scenario line")
        verbose_name_plural = _("scenario lines")
        ordering = ["plan", "scenario", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="scenarioline_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(scenario__in=["standard", "tailored"]),
                name="scenarioline_scenario_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["cost", "forgone_income"]), name="scenarioline_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.scenario} {self.position}: {self.label}"

    @property
    def is_forgone(self) -> bool:
        return self.kind == LineKind.FORGONE_INCOME


class CalculationSnapshot(models.Model):
    """The return corner as it stood when the plan was submitted: never changed."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="snapshots")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    result = models.JSONField(_("result"))
    engine_version = models.CharField(_("engine version"), max_length=40)
    versions = models.ManyToManyField(
        "costs.CostItemVersion",
        verbose_name=_("catalogue versions used"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calculation snapshot")
        verbose_name_plural = _("calculation snapshots")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} @ {self.created_at:%Y-%m-%d %H:%M}"
