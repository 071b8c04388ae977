"""The directory in the Django admin, read-only: the functional administrator keeps it on the
directory pages (cooperation.services), which check and audit every change."""

from django.contrib import admin

from maatwerk.core.admin import ReadOnlyAdmin

from .models import ContactPoint, ExternalOrganisation


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    fields = ["department", "channel", "address", "for_formal_requests", "active"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExternalOrganisation)
class ExternalOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation_type", "category", "status"]
    list_filter = ["category", "status", "organisation_type"]
    search_fields = ["name"]
    inlines = [ContactPointInline]


@admin.register(ContactPoint)
class ContactPointAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "department", "channel", "for_formal_requests", "active"]
    list_filter = ["channel", "active"]
    search_fields = ["organisation__name", "department"]
