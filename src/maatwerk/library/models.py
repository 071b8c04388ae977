"""The library of good examples (*Mooi Maatwerk*): de-identified plans that colleagues in every
organisation of the deployment can read once a second person has approved them.

An example copies the structured facts of a decided plan as columns (so they can be filtered and
counted) and holds a short story written for it. Its texts are de-identified before anyone else
sees them (see `deidentify`); the link to the source plan is kept for the team alone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maatwerk.accounts.roles import Role
from maatwerk.core.choices import OrganisationType, SolutionKind
from maatwerk.core.domains import LifeDomain
from maatwerk.costs.models import Bearer, CostType, Unit
from maatwerk.followup.models import Outcome
from maatwerk.plans.models import LineKind, Scenario


class Example(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")
        WITHDRAWN = "withdrawn", _("withdrawn")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="examples",
    )
    # The team that published it; empty for an example imported from another deployment.
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="examples",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"), max_length=6000)
    lessons = models.TextField(_("what we learn from it"), max_length=4000, blank=True)
    # Structured facts, copied from the plan when proposed.
    blocking_rule = models.ForeignKey(
        "legal.BlockingRule",
        verbose_name=_("blocking rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="examples",
    )
    provisions = models.ManyToManyField(
        "legal.Provision", verbose_name=_("provisions used"), blank=True, related_name="examples"
    )
    solution_kind = models.CharField(
        _("kind of solution"), max_length=30, choices=SolutionKind.choices, blank=True
    )
    # Rounded to €100: exact amounts could point back to one household.
    standard_total = models.DecimalField(
        _("standard route, rounded to €100"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    tailored_total = models.DecimalField(
        _("tailored route, rounded to €100"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The role (or named body) that took the decision, never a person.
    decision_level = models.CharField(_("decided at level"), max_length=60, blank=True)
    outcome_code = models.CharField(
        _("outcome"), max_length=40, choices=Outcome.Code.choices, blank=True
    )
    # For the team only: never shown, exported or sent outside it. Emptied when the plan goes.
    source_plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("source plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where an imported example came from (the exporting deployment's name), else empty.
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("good example")
        verbose_name_plural = _("good examples")
        ordering = ["-reviewed_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-reviewed_at", "-id"], name="example_status_idx"),
            models.Index(fields=["team", "status"], name="example_team_status_idx"),
            models.Index(fields=["blocking_rule", "status"], name="example_rule_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "proposed", "approved", "returned", "withdrawn"]),
                name="example_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="example_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_by__isnull=False),
                name="example_approved_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(outcome_code="") | Q(outcome_code__in=Outcome.Code.values),
                name="example_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def decision_level_label(self) -> str:
        """The role in the interface language, or the named body as it is."""
        try:
            return str(Role(self.decision_level).label)
        except ValueError:
            return self.decision_level

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def status_tone(self) -> str:
        return {
            self.Status.APPROVED: "ok",
            self.Status.PROPOSED: "info",
            self.Status.RETURNED: "error",
        }.get(self.status, "neutral")


class ExampleLifeDomain(models.Model):
    """A life domain of an example: a join row, so the library can filter on it."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="life_domains")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)

    class Meta:
        verbose_name = _("life domain of an example")
        verbose_name_plural = _("life domains of examples")
        ordering = ["example", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["example", "domain"], name="examplelifedomain_unique"),
            models.CheckConstraint(
                condition=Q(domain__in=LifeDomain.values), name="examplelifedomain_domain_valid"
            ),
        ]
        indexes = [models.Index(fields=["domain", "example"], name="examplelifedomain_domain_idx")]

    def __str__(self) -> str:
        return f"{self.example_id}: {self.domain}"


class ExampleOrganisation(models.Model):
    """A kind of organisation involved in an example (never a named one)."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="organisations")
    organisation_type = models.CharField(
        _("organisation"), max_length=30, choices=OrganisationType.choices
    )

    class Meta:
        verbose_name = _("organisation involved in an example")
        verbose_name_plural = _("organisations involved in examples")
        ordering = ["example", "organisation_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["example", "organisation_type"], name="exampleorganisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(organisation_type__in=OrganisationType.values),
                name="exampleorganisation_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.example_id}: {self.organisation_type}"


class ExampleCostLine(models.Model):
    """One cost line of an example's routes: its structure only, so a worker can copy it into a
    draft plan ("Structuur overnemen"). A catalogue line keeps the reference to the shared
    catalogue's item and no amount of its own (the catalogue price applies); a free line keeps
    its amount rounded to €100 and a de-identified description. Never a household's figure."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="cost_lines")
    scenario = models.CharField(_("route"), max_length=10, choices=Scenario.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    cost_item = models.ForeignKey(
        "costs.CostItem",
        verbose_name=_("cost item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("kind of line"), max_length=20, choices=LineKind.choices, default=LineKind.COST
    )
    label = models.CharField(_("description"), max_length=200, blank=True)
    # Free lines only, rounded to €100; empty for a catalogue line (its catalogue price applies).
    amount = models.DecimalField(
        _("amount (€ per unit, rounded)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, blank=True)
    bearer = models.CharField(_("who pays"), max_length=40, choices=Bearer.choices, blank=True)
    cost_type = models.CharField(
        _("cost type"), max_length=20, choices=CostType.choices, blank=True
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4, default=1)
    start_month = models.PositiveSmallIntegerField(_("starts after (months)"), default=0)
    duration_months = models.PositiveSmallIntegerField(
        _("for how many months"), null=True, blank=True
    )
    probability = models.DecimalField(
        _("chance that it happens"), max_digits=5, decimal_places=4, default=1
    )

    class Meta:
        verbose_name = _("cost line of an example")
        verbose_name_plural = _("cost lines of examples")
        ordering = ["example", "scenario", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scenario__in=["standard", "tailored"]),
                name="examplecostline_scenario_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["cost", "forgone_income"]),
                name="examplecostline_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="examplecostline_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_item__isnull=False) | Q(amount__isnull=False),
                name="examplecostline_priced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.example_id} {self.scenario} {self.position}"

    def line_values(self) -> dict:
        """The line as a plan's line takes it (plans.services.LINE_FIELDS)."""
        return {
            "cost_item_id": self.cost_item_id,
            "kind": self.kind,
            "label": self.label,
            "amount": self.amount,
            "unit": self.unit,
            "bearer": self.bearer,
            "cost_type": self.cost_type,
            "quantity": self.quantity,
            "start_month": self.start_month,
            "duration_months": self.duration_months,
            "probability": self.probability,
        }
