from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maatwerk.core.domains import LifeDomain

from . import engine


def _choices(name: str, values: tuple[str, ...], labels: dict) -> type[models.TextChoices]:
    """Choices whose values are the engine's (the engine owns them, `engine.UNITS` …), in the
    engine's order, labelled here. A value without a label fails at import, so the two cannot
    drift apart (tests/costs/test_costs_models.py checks they agree)."""
    if set(labels) != set(values):
        raise ImproperlyConfigured(f"{name}: labels {sorted(labels)} != engine {sorted(values)}")
    return models.TextChoices(name, [(v.upper(), (v, labels[v])) for v in values])


Unit = _choices(
    "Unit",
    engine.UNITS,
    {
        "per_case": _("per case"),
        "per_event": _("per event"),
        "per_day": _("per day"),
        "per_hour": _("per hour"),
        "per_month": _("per month"),
        "per_year": _("per year"),
    },
)


class Bearer(models.TextChoices):
    """Kostendrager: who pays a cost or receives a saving."""

    MUNICIPALITY = "municipality", _("Municipality")
    CENTRAL_GOVERNMENT = "central_government", _("Central government")
    UWV = "uwv", _("UWV")
    TAX_OFFICE = "tax_office", _("Tax office / allowances")
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    HEALTH_INSURER = "health_insurer", _("Health insurer")
    JUSTICE = "justice", _("Justice")
    EMPLOYER = "employer", _("Employer")
    HOUSEHOLD = "household", _("The household itself")
    SEVERAL = "several", _("Several parties")


CostType = _choices(
    "CostType",
    engine.COST_TYPES,
    {
        "fiscal": _("Fiscal (a budget holder pays)"),
        "transfer": _("Transfer (money to the resident)"),
        "economic": _("Economic"),
        "social": _("Social"),
    },
)

Grade = _choices(
    "Grade",
    engine.GRADES,
    {
        "A": _("A – statutory or official tariff"),
        "B": _("B – published study or statistic"),
        "C": _("C – indicative: a single estimate, quote or old figure"),
    },
)


class CostItem(models.Model):
    """Kostenpost: what a kind of help or trouble is. Its price lives in versions.

    An item without organisation belongs to the shared catalogue; with an organisation it is
    that organisation's local item.
    """

    code = models.CharField(_("code"), max_length=40)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("local to organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cost_items",
    )
    name_nl = models.CharField(_("Dutch name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    life_domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    bearer = models.CharField(_("bearer"), max_length=20, choices=Bearer.choices)
    cost_type = models.CharField(_("cost type"), max_length=10, choices=CostType.choices)
    # Retired for everybody by the catalogue's maintainers; organisations retire per
    # organisation through CostItemRetirement.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="costitem_code_shared"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=Q(organisation__isnull=False),
                name="costitem_code_local",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=[u.value for u in Unit]), name="costitem_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(bearer__in=[b.value for b in Bearer]), name="costitem_bearer_valid"
            ),
            models.CheckConstraint(
                condition=Q(cost_type__in=[c.value for c in CostType]),
                name="costitem_cost_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.code})"

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_nl


class CostItemVersion(models.Model):
    """One published price of an item. Never changed: a new price is a new version.

    A version with an organisation is that organisation's local price; it takes precedence
    over the shared price for that organisation only.
    """

    item = models.ForeignKey(CostItem, on_delete=models.PROTECT, related_name="versions")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("local price of organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(
        _("amount (euros)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    price_date = models.DateField(_("price date"))
    grade = models.CharField(_("reliability"), max_length=1, choices=Grade.choices)
    source_title = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500)
    note = models.CharField(_("note"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("price version")
        verbose_name_plural = _("price versions")
        ordering = ["-price_date", "-id"]
        get_latest_by = ["price_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="costversion_amount_positive"),
            models.CheckConstraint(
                condition=Q(grade__in=list(engine.GRADES)), name="costversion_grade_valid"
            ),
        ]
        indexes = [models.Index(fields=["item", "organisation", "-price_date"])]

    def __str__(self) -> str:
        return f"{self.item.code} {self.amount} ({self.price_date:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A published price is never changed; add a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A published price is never deleted; retire the item instead.")

    @property
    def price_year(self) -> int:
        return self.price_date.year


class CostItemRetirement(models.Model):
    """An organisation no longer uses an item (shared or its own); history stays intact."""

    item = models.ForeignKey(CostItem, on_delete=models.PROTECT, related_name="retirements")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired"), auto_now_add=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("retired cost item")
        verbose_name_plural = _("retired cost items")
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="retirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} retired by organisation {self.organisation_id}"


class PriceIndex(models.Model):
    """CBS consumer price index: yearly change, to express a price in another year's level."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    change_pct = models.DecimalField(_("change (%)"), max_digits=5, decimal_places=2)
    source_url = models.URLField(_("source link"), max_length=500)

    class Meta:
        verbose_name = _("price index")
        verbose_name_plural = _("price index")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.change_pct} %"
