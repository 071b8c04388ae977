"""Admin pieces every app shares, and the third-party admin pages kept for platform operators.

`ReadOnlyAdmin` is the one read-only admin page (the catalogue, the ledger): combine it with
another admin class, e.g. ``class LedgerEntryAdmin(ReadOnlyAdmin, OrganisationScopedAdmin)``.

Admin pages of third-party apps know no organisation, so they are for platform operators
(superusers) only.

A functional administrator given their model permissions would otherwise see and change every
organisation's API tokens, second-factor devices and login records (the access matrix gives
the administrator every permission of the admin's models to check this). This module is
imported by the admin's autodiscovery after those apps registered their pages.
"""

from django.apps import apps
from django.contrib import admin

SUPERUSER_ONLY = (
    "auth.Group",
    "otp_totp.TOTPDevice",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows and never adds, changes or deletes them: those go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


for label in SUPERUSER_ONLY:
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    if not admin.site.is_registered(model):
        continue
    current = type(admin.site._registry[model])
    if issubclass(current, SuperuserOnly):
        continue
    admin.site.unregister(model)
    admin.site.register(
        model, type(f"SuperuserOnly{current.__name__}", (SuperuserOnly, current), {})
    )
