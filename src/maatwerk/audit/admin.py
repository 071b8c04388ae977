from django.contrib import admin

from maatwerk.accounts.admin_scoping import OrganisationScopedAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(OrganisationScopedAdmin):
    """Read-only: nobody, not even a superuser, edits or deletes audit events; an
    administrator sees their own organisation's events only."""

    list_display = ["occurred_at", "actor", "action", "object_type", "object_id", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
