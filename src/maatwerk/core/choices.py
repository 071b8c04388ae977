"""Choice lists several apps use, defined once (DESIGN.md: "Choice lists used by several apps
live once, in `core`"). The apps derive their own from these, keeping value, name and label.

- `OrganisationType`: every kind of organisation a case involves or that applies a rule (never
  a named one). `cases.models.OrganisationType` is this list; `legal.models.Applier` is the part
  of it that applies blocking rules, so a rule's `applied_by` copies onto an obstacle as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """The kind of organisation involved in a case or applying a rule (never a named one)."""

    TAX_ALLOWANCES = "tax_allowances", _("Tax office / allowances")
    UWV = "uwv", _("UWV")
    SVB = "svb", _("SVB")
    CAK = "cak", _("CAK")
    CJIB = "cjib", _("CJIB")
    DUO = "duo", _("DUO")
    MUNICIPALITY = "municipality", _("Municipality")
    MUNICIPALITY_BRP = "municipality_brp", _("Municipality (population register)")
    MUNICIPALITY_WORK_INCOME = "municipality_work_income", _("Municipality: work and income")
    DEBT_ASSISTANCE = "debt_assistance", _("Debt assistance")
    ADMINISTRATOR = "administrator", _("Financial administrator (bewindvoerder)")
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    ENERGY_SUPPLIER = "energy_supplier", _("Energy supplier")
    WATER_SUPPLIER = "water_supplier", _("Water supplier")
    HEALTH_INSURER = "health_insurer", _("Health insurer")
    MENTAL_HEALTH_CARE = "mental_health_care", _("Mental health care (GGZ)")
    YOUTH_CARE = "youth_care", _("Youth care")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other organisation")


def subset(
    name: str, owner: type[models.TextChoices], values: Iterable[str], doc: str = ""
) -> type[models.TextChoices]:
    """A choices class with the members of `owner` whose values are `values`, in that order,
    with the owner's member names and labels (a value the owner lacks fails at import)."""
    members = [owner(value) for value in values]
    derived = models.TextChoices(name, [(m.name, (m.value, m.label)) for m in members])
    derived.__doc__ = doc or f"A part of {owner.__qualname__}."
    return derived


class SolutionKind(models.TextChoices):
    """What kind of maatwerk a plan is (issue 14, point 1): a small coded list, so that "a kind
    of maatwerk that keeps coming back" can be counted (plans record it, signals count it)."""

    PAYMENT_OF_COST = "payment_of_cost", _("Payment of a cost")
    RULE_NOT_APPLIED = "rule_not_applied", _("A rule not applied")
    DEBT_NOT_RECOVERED = "debt_not_recovered", _("A debt not recovered or forgiven")
    PROCEDURE_SPED_UP = "procedure_sped_up", _("A procedure sped up")
    PROVISION_OUTSIDE_RULES = "provision_outside_rules", _("A provision granted outside the rules")
    OTHER = "other", _("Other kind of solution")
