"""Functional administrators configure mandates, the peer rule, the ladder and budgets here.

Ledger entries are shown read-only: money moves only through the services (and is corrected by
a reversal), so nobody edits or deletes them in the admin. Decision steps, peer votes and
consultations are about a household's plan: they are read in the app by those who need them,
not in the admin. Every page is scoped to the administrator's own organisation.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.accounts.admin_scoping import OrganisationScopedAdmin
from maatwerk.accounts.models import Organisation
from maatwerk.accounts.selectors import admin_organisation_id
from maatwerk.core.admin import ReadOnlyAdmin

from . import selectors
from .models import (
    Budget,
    DepartmentRoute,
    EscalationLevel,
    LedgerEntry,
    MandateSetting,
    PeerRule,
)


@admin.register(MandateSetting)
class MandateSettingAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "role_label", "amount", "household_cap_per_year"]
    list_filter = ["organisation"]

    @admin.display(description=gettext_lazy("role or body"), ordering="role")
    def role_label(self, obj):
        # A role is stored by its code; show its Dutch name (a body keeps its own name).
        return obj.get_role_display() if obj.role else obj.body


@admin.register(PeerRule)
class PeerRuleAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "limit", "peers_required"]


def _warn_empty(request, organisations, position=None) -> None:
    """A warning per ladder level (and department) nobody holds: plans would pass it over."""
    for organisation in organisations:
        for empty in selectors.empty_levels(organisation):
            if position is None or empty.level.position == position:
                messages.warning(
                    request,
                    _("Nobody holds the level %(level)s for %(team)s: plans skip it.")
                    % {"level": empty.label, "team": empty.team.name},
                )
        if position is None:
            for department in selectors.empty_departments(organisation):
                messages.warning(
                    request,
                    _("The department %(name)s has no decider: its plans go up the ladder.")
                    % {"name": department.name},
                )


def _admin_organisations(request):
    if request.user.is_superuser:
        return Organisation.objects.filter(escalation_levels__isnull=False).distinct()
    return Organisation.objects.filter(pk=admin_organisation_id(request.user))


@admin.register(EscalationLevel)
class EscalationLevelAdmin(OrganisationScopedAdmin):
    list_display = [
        "organisation", "position", "role", "body", "decider_organisation",
        "deadline_working_days", "non_financial",
    ]  # fmt: skip
    list_filter = ["organisation"]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            _warn_empty(request, _admin_organisations(request))
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        level = self.get_queryset(request).filter(pk=object_id).first()
        if request.method == "GET" and level is not None:
            _warn_empty(request, [level.organisation], position=level.position)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DepartmentRoute)
class DepartmentRouteAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "applier", "blocking_rule", "department"]
    list_filter = ["organisation"]
    autocomplete_fields = ["blocking_rule"]


@admin.register(Budget)
class BudgetAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "team", "year", "amount"]
    list_filter = ["year", "organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin, OrganisationScopedAdmin):
    organisation_path = "budget__organisation_id"
    # The payee may be a person (it stands in LedgerEntryDetail, not registered here): the
    # administrator sees amounts, not who was paid.
    list_display = ["id", "budget", "plan_id", "kind", "amount", "refers_to", "created_at"]
    list_filter = ["kind"]
