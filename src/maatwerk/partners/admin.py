"""Partners in the Django admin, for the functional administrator of the municipality.

Adding a partner makes its API client too (scope `signals:write` only); the partner's page then
links to that client's page, where the administrator issues, and revokes, its tokens
(api.admin). Every write goes through partners.services (audited). Signals are not shown here:
they hold personal data and belong in the triage queue of the team (issue 15, item 4).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from maatwerk.accounts.admin_scoping import OrganisationScopedAdmin
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, has_role

from . import services
from .models import Partner, PostcodeArea, Source


def _manages_partners(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or has_role(user, Role.ADMIN))


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["organisation", "name", "type", "enabled", "enabled_reason", "holds_bsn",
                  "is_active"]  # fmt: skip


@admin.register(Partner)
class PartnerAdmin(OrganisationScopedAdmin):
    form = PartnerForm
    list_display = ["name", "type", "may_send", "holds_bsn", "is_active", "api_client"]
    list_filter = ["type", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["api_client", "created_at"]
    change_form_template = "admin/partners/partner/change_form.html"

    def has_module_permission(self, request):
        return _manages_partners(request)

    def get_queryset(self, request):
        # A department (source of warm handovers) is made by its first handover and has no
        # API client to manage: not a partner of this page.
        return super().get_queryset(request).filter(source=Source.PARTNER)

    def has_view_permission(self, request, obj=None):
        return _manages_partners(request)

    def has_add_permission(self, request):
        return _manages_partners(request)

    def has_change_permission(self, request, obj=None):
        return _manages_partners(request)

    def has_delete_permission(self, request, obj=None):
        return False  # a partner is made inactive, never deleted (its signals name it)

    def get_fields(self, request, obj=None):
        fields = list(PartnerForm.Meta.fields)
        if obj is not None:
            fields.remove("organisation")  # a partner stays with its municipality
            fields += self.readonly_fields
        return fields

    @admin.display(boolean=True, description=_("may send signals"))
    def may_send(self, obj):
        return services.may_send(obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser:
            initial.setdefault("organisation", admin_organisation_id(request.user))
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.PARTNER_FIELDS}
        if change:
            services.update_partner(actor=request.user, partner=obj, **data)
        else:
            partner = services.create_partner(
                actor=request.user, organisation=form.cleaned_data["organisation"], **data
            )
            obj.pk, obj.api_client_id = partner.pk, partner.api_client_id
            obj.created_at = partner.created_at


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(OrganisationScopedAdmin):
    """Which team's triage queue a signal lands in, by the four digits of its postcode."""

    list_display = ["__str__", "team"]
    list_filter = ["team"]
    fields = ["organisation", "team", "start", "end"]

    def has_module_permission(self, request):
        return _manages_partners(request)

    def has_view_permission(self, request, obj=None):
        return _manages_partners(request)

    def has_add_permission(self, request):
        return _manages_partners(request)

    def has_change_permission(self, request, obj=None):
        return _manages_partners(request)

    def has_delete_permission(self, request, obj=None):
        return _manages_partners(request)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser:
            initial.setdefault("organisation", admin_organisation_id(request.user))
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # scoped to the own organisation
        services.record_postcode_area(actor=request.user, area=obj, created=not change)

    def delete_model(self, request, obj):
        services.delete_postcode_area(actor=request.user, area=obj)
