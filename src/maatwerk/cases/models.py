from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-is_contact", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

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
