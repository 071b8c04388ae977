"""Read-only views of the catalogue in the Django admin.

Changes go through the regelbank pages (legal.services), which version and audit them; the
admin only shows the rows and their history.
"""

from django.contrib import admin

from maatwerk.core.admin import ReadOnlyAdmin

from .models import (
    BlockingRule,
    BlockingRuleEscape,
    BlockingRuleRevision,
    Law,
    Provision,
    ProvisionRevision,
)


class ProvisionRevisionInline(admin.TabularInline):
    model = ProvisionRevision
    fields = ["version", "changed_at", "changed_by", "note", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BlockingRuleRevisionInline(ProvisionRevisionInline):
    model = BlockingRuleRevision


class EscapeInline(admin.TabularInline):
    model = BlockingRuleEscape
    fields = ["position", "provision"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Law)
class LawAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "bwb_id"]
    search_fields = ["code", "name"]


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ["code", "law", "article", "title", "verified", "version"]
    list_filter = ["law", "verified"]
    search_fields = ["code", "title", "article"]
    inlines = [ProvisionRevisionInline]


@admin.register(BlockingRule)
class BlockingRuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_nl", "applied_by", "basis_provision", "version"]
    list_filter = ["applied_by", "life_domain"]
    search_fields = ["code", "name_nl", "name_en"]
    inlines = [EscapeInline, BlockingRuleRevisionInline]
