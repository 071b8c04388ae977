"""API clients and tokens in the Django admin, for the functional administrator of the client's
organisation. Every write goes through api.services (audited); a token's secret is shown once,
on the page after the one that issues it, and never again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from maatwerk.accounts.admin_scoping import OrganisationScopedAdmin
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, has_role

from . import services
from .models import ApiClient, ApiToken, Scope

# The session key that carries a new token's secret from the POST to the one page showing it.
ISSUED_SESSION_KEY = "api_token_issued"


def scope_labels(scopes) -> list[str]:
    """The scopes' names as people read them, not their codes."""
    labels = dict(Scope.choices)
    return [str(labels.get(scope, scope)) for scope in scopes]


def _manages_clients(request) -> bool:
    # The role decides, not Django's model permissions: every functional administrator
    # manages the API clients of their own organisation (the admin scoping limits the rows).
    user = request.user
    return user.is_active and (user.is_superuser or has_role(user, Role.ADMIN))


class _RoleAdmin(OrganisationScopedAdmin):
    def has_module_permission(self, request):
        return _manages_clients(request)

    def has_view_permission(self, request, obj=None):
        return _manages_clients(request)

    def has_delete_permission(self, request, obj=None):
        return False  # clients are made inactive and tokens revoked, never deleted


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        help_text=_("What the client may reach. Without a scope it reaches nothing."),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = ["organisation", "name", "scopes", "is_active"]


class IssueTokenForm(forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=services.MAX_VALID_DAYS,
        initial=services.DEFAULT_VALID_DAYS,
    )


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _manages_clients(request)


@admin.register(ApiClient)
class ApiClientAdmin(_RoleAdmin):
    form = ApiClientForm
    list_display = ["name", "organisation", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [ApiTokenInline]
    change_form_template = "admin/api/apiclient/change_form.html"

    def has_add_permission(self, request):
        return _manages_clients(request)

    def has_change_permission(self, request, obj=None):
        return _manages_clients(request)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser:
            initial.setdefault("organisation", admin_organisation_id(request.user))
        return initial

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.update_client(
                actor=request.user,
                client=obj,
                name=data["name"],
                scopes=data["scopes"],
                is_active=data["is_active"],
            )
        else:
            client = services.create_client(
                actor=request.user,
                organisation=data["organisation"],
                name=data["name"],
                scopes=data["scopes"],
                is_active=data["is_active"],
            )
            obj.pk = client.pk
            obj.created_at = client.created_at

    def get_urls(self):
        return [
            path(
                "<int:client_id>/token/",
                self.admin_site.admin_view(self.issue_token_view),
                name="api_apiclient_issue_token",
            ),
            path(
                "<int:client_id>/token/uitgegeven/",
                self.admin_site.admin_view(self.token_issued_view),
                name="api_apiclient_token_issued",
            ),
            *super().get_urls(),
        ]

    def _client(self, request, client_id: int) -> ApiClient:
        client = get_object_or_404(self.get_queryset(request), pk=client_id)
        if not services.may_manage(request.user, client.organisation_id):
            raise PermissionDenied
        return client

    def _context(self, request, client: ApiClient) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "client": client,
            "scope_labels": scope_labels(client.scopes),
            "title": _("Issue a token for %(client)s") % {"client": client.name},
        }

    def issue_token_view(self, request, client_id: int):
        client = self._client(request, client_id)
        form = IssueTokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                token, secret = services.issue_token(
                    actor=request.user, client=client, valid_days=form.cleaned_data["valid_days"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("admin:api_apiclient_change", args=[client.pk]))
            # Post/redirect/get: a reload of the page that shows the secret must not issue a
            # second token. The secret waits in the session for that one page, which removes it.
            request.session[ISSUED_SESSION_KEY] = {
                "client": client.pk,
                "token": token.pk,
                "secret": secret,
            }
            return redirect(reverse("admin:api_apiclient_token_issued", args=[client.pk]))
        return TemplateResponse(
            request,
            "admin/api/apiclient/issue_token.html",
            {**self._context(request, client), "form": form},
        )

    def token_issued_view(self, request, client_id: int):
        """Shows the new token's secret once; a reload or a later visit says it was shown."""
        client = self._client(request, client_id)
        issued = request.session.get(ISSUED_SESSION_KEY)
        token = secret = None
        if issued and issued.get("client") == client.pk:
            del request.session[ISSUED_SESSION_KEY]
            token = client.tokens.filter(pk=issued["token"]).first()
            secret = issued["secret"] if token else None
        response = TemplateResponse(
            request,
            "admin/api/apiclient/token_issued.html",
            {**self._context(request, client), "token": token, "secret": secret},
        )
        # The secret is on this page only: no browser or proxy may keep a copy.
        response["Cache-Control"] = "no-store"
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(_RoleAdmin):
    organisation_path = "client__organisation_id"
    list_display = ["prefix", "client", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "client__name"]
    fields = ["client", "prefix", "created_at", "created_by", "expires_at", "revoked_at",
              "revoked_by", "last_used_at"]  # fmt: skip
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_token(actor=request.user, token=token)
        messages.success(request, _("%(count)d token(s) revoked.") % {"count": len(queryset)})
