from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .admin_scoping import OrganisationScopedAdmin, ScopedInline
from .models import Department, Membership, Organisation, Team, TeamArea, User

# Only platform operators (superusers) may hand out these; a functional administrator could
# otherwise make themselves superuser.
PRIVILEGED_FIELDS = {"is_superuser", "user_permissions", "groups"}


class TeamAreaInline(admin.TabularInline):
    model = TeamArea
    extra = 0


class MembershipInline(ScopedInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    list_display = ["name", "kind", "parent"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [TeamAreaInline]


@admin.register(Department)
class DepartmentAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active", "memberships__role"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Open Maatwerk", {"fields": ["organisation"]}))
    inlines = [MembershipInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in PRIVILEGED_FIELDS]})
            for name, opts in fieldsets
        ]
