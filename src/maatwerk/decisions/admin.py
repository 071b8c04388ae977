"""Functional administrators configure mandates, the peer rule, the ladder and budgets here.

Ledger entries, decision steps and consultations are shown read-only: money moves only through
the services (and is corrected by a reversal), so nobody edits or deletes them in the admin.
"""

from django.contrib import admin

from .models import (
    Budget,
    Consultation,
    Decision,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
    PeerRule,
    PeerVote,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MandateSetting)
class MandateSettingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "amount", "household_cap_per_year"]
    list_filter = ["organisation"]


@admin.register(PeerRule)
class PeerRuleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "limit", "peers_required"]


@admin.register(EscalationLevel)
class EscalationLevelAdmin(admin.ModelAdmin):
    list_display = [
        "organisation", "position", "role", "body", "decider_organisation",
        "deadline_working_days", "non_financial",
    ]  # fmt: skip
    list_filter = ["organisation"]


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["organisation", "team", "year", "amount"]
    list_filter = ["year", "organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "budget", "plan", "kind", "amount", "refers_to", "created_at"]
    list_filter = ["kind"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "assigned_role", "assigned_body", "deadline", "outcome", "decided_at"]
    list_filter = ["outcome"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["plan", "date"]


@admin.register(PeerVote)
class PeerVoteAdmin(ReadOnlyAdmin):
    list_display = ["plan", "voter", "approve", "voted_at"]
