"""Functional administrators configure mandates, the peer rule, the ladder and budgets here.

Ledger entries are shown read-only: money moves only through the services (and is corrected by
a reversal), so nobody edits or deletes them in the admin. Decision steps, peer votes and
consultations are about a household's plan: they are read in the app by those who need them,
not in the admin. Every page is scoped to the administrator's own organisation.
"""

from django.contrib import admin

from maatwerk.accounts.admin_scoping import OrganisationScopedAdmin

from .models import (
    Budget,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
    PeerRule,
)


class ReadOnlyAdmin(OrganisationScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MandateSetting)
class MandateSettingAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "role", "amount", "household_cap_per_year"]
    list_filter = ["organisation"]


@admin.register(PeerRule)
class PeerRuleAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "limit", "peers_required"]


@admin.register(EscalationLevel)
class EscalationLevelAdmin(OrganisationScopedAdmin):
    list_display = [
        "organisation", "position", "role", "body", "decider_organisation",
        "deadline_working_days", "non_financial",
    ]  # fmt: skip
    list_filter = ["organisation"]


@admin.register(Budget)
class BudgetAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "team", "year", "amount"]
    list_filter = ["year", "organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    organisation_path = "budget__organisation_id"
    # The payee may be a person: the administrator sees amounts, not who was paid.
    exclude = ["payee"]
    list_display = ["id", "budget", "plan_id", "kind", "amount", "refers_to", "created_at"]
    list_filter = ["kind"]
