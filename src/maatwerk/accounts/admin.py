from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .admin_scoping import OrganisationScopedAdmin, ScopedInline
from .models import (
    ClaimMapping,
    Department,
    Membership,
    Organisation,
    RoleGrantRequest,
    Team,
    TeamArea,
    User,
)
from .selectors import admin_organisation_id

# Only platform operators (superusers) may hand out these; a functional administrator could
# otherwise make themselves superuser.
PRIVILEGED_FIELDS = {"is_superuser", "user_permissions", "groups"}


class TeamAreaInline(admin.TabularInline):
    model = TeamArea
    extra = 0


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "team", "role", "department"]
        # The model's fields carry no verbose names; the column headers need Dutch ones.
        labels = {"organisation": gettext_lazy("organisation"), "team": gettext_lazy("team")}


class MembershipInline(ScopedInline, admin.TabularInline):
    """Roles of a user. Existing rows are read-only (a changed role is a revoke and a grant);
    new rows and deletions go through accounts.services in UserAdmin.save_formset, so the
    self-grant and four-eyes rules hold and every change is audited."""

    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["team"]
    verbose_name = gettext_lazy("role")
    verbose_name_plural = gettext_lazy("roles (roles that see personal data are sent for approval)")

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No edit/add/delete/view icons next to each role row's organisation, team and
        # department: they are not what a role row changes, and they made the table wider
        # than a 1280 px screen.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_delete_related = field.widget.can_view_related = False
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        actor = request.user

        class CheckedFormSet(formset):
            def clean(self):
                super().clean()
                for form in self.extra_forms:
                    if form.errors or not form.has_changed() or self._should_delete_form(form):
                        continue
                    data = form.cleaned_data
                    try:
                        services.check_grant(
                            actor,
                            user=self.instance,
                            organisation=data["organisation"],
                            role=data["role"],
                            team=data.get("team"),
                        )
                    except services.RoleChangeRefused as error:
                        form.add_error(None, error)

        return CheckedFormSet


class PendingRoleRequestInline(admin.TabularInline):
    """The user's role requests that wait for a director or the privacy officer: read-only, so
    the administrator sees why a role they entered is not in the roles table yet."""

    model = RoleGrantRequest
    fk_name = "user"
    extra = 0
    fields = ["role", "organisation", "team", "requested_by", "requested_at"]
    readonly_fields = fields
    verbose_name = gettext_lazy("role request awaiting approval")
    verbose_name_plural = gettext_lazy("role requests awaiting approval")

    def get_queryset(self, request):
        requests = super().get_queryset(request).filter(status=RoleGrantRequest.Status.REQUESTED)
        if request.user.is_superuser:
            return requests
        return requests.filter(organisation_id=admin_organisation_id(request.user))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    inlines = [MembershipInline, PendingRoleRequestInline]

    class Media:
        css = {"all": ["accounts/admin.css"]}

    def get_inlines(self, request, obj):
        # Requests show only while some wait; a user being added has none.
        if (
            obj is not None
            and obj.role_requests.filter(status=RoleGrantRequest.Status.REQUESTED).exists()
        ):
            return [MembershipInline, PendingRoleRequestInline]
        return [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        new_rows = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.revoke_role(request.user, membership)
        granted = []
        for row in new_rows:
            result = services.grant_or_request(
                request.user,
                user=form.instance,
                organisation=row.organisation,
                role=row.role,
                team=row.team,
            )
            if isinstance(result, RoleGrantRequest):
                messages.info(
                    request,
                    _(
                        "The role %(role)s sees personal data: it was sent to a director or the "
                        "privacy officer for approval."
                    )
                    % {"role": result.get_role_display()},
                )
            else:
                granted.append(result)
        # The admin's own history lists only the roles actually given.
        formset.new_objects = granted

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in PRIVILEGED_FIELDS]})
            for name, opts in fieldsets
        ]


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(OrganisationScopedAdmin):
    """Read-only: the administrator follows their requests here; directors and privacy officers
    decide them on their own page (accounts:role_requests), never in the admin."""

    list_display = ["user", "role", "team", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    readonly_fields = [f.name for f in RoleGrantRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimMappingForm(forms.ModelForm):
    class Meta:
        model = ClaimMapping
        fields = ["organisation", "claim", "value", "role", "team"]

    def __init__(self, *args, actor=None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_claim_mapping(
                self.actor,
                organisation=cleaned["organisation"],
                claim=cleaned["claim"],
                value=cleaned["value"],
                role=cleaned["role"],
                team=cleaned.get("team"),
            )
        except services.RoleChangeRefused as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


@admin.register(ClaimMapping)
class ClaimMappingAdmin(OrganisationScopedAdmin):
    """The functional administrator's rules from claims to roles (docs/oidc.md).

    Added here, never edited: a change is a new mapping (under four eyes again when the role
    sees personal data) and the old one retired, which takes back the roles it gave.
    """

    list_display = ["claim", "value", "role", "team", "status", "requested_by", "decided_by"]
    list_filter = ["status", "role"]
    actions = ["retire"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithActor(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=request.user, **kw)

        return WithActor

    def get_fields(self, request, obj=None):
        if obj is None:
            return ClaimMappingForm.Meta.fields
        return [f.name for f in ClaimMapping._meta.fields if f.name != "id"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    form = ClaimMappingForm

    def save_model(self, request, obj, form, change):
        mapping = services.add_claim_mapping(
            request.user,
            organisation=obj.organisation,
            claim=obj.claim,
            value=obj.value,
            role=obj.role,
            team=obj.team,
        )
        form.instance = obj = mapping
        if mapping.status == ClaimMapping.Status.REQUESTED:
            messages.info(
                request,
                _(
                    "The role %(role)s sees personal data: the mapping waits until a director or "
                    "the privacy officer approves it."
                )
                % {"role": mapping.get_role_display()},
            )

    def save_related(self, request, form, formsets, change):
        pass  # a mapping has no relations of its own to save

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Retire the selected mappings"))
    def retire(self, request, queryset):
        for mapping in queryset.exclude(status=ClaimMapping.Status.RETIRED):
            services.retire_claim_mapping(request.user, mapping)
