"""Shared vocabularies that several bounded contexts use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    """Leefgebieden: the fixed list of life domains a case, a cost or an obstacle belongs to."""

    INCOME = "income", _("Income")
    DEBTS = "debts", _("Debts")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work and daytime activity")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    ADDICTION = "addiction", _("Addiction")
    UPBRINGING = "upbringing", _("Upbringing and youth")
    SAFETY = "safety", _("Safety")
    SOCIAL_NETWORK = "social_network", _("Social network")
    JUSTICE = "justice", _("Justice")
    EDUCATION = "education", _("Education")
