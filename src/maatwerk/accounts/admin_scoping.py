"""Django admin pages that a functional administrator sees for their own organisation only.

The admin site has no need-to-know of its own: without this, an administrator with the model
permission would see (and change) the mandates, ladders and budgets of every organisation.
Superusers (platform operators) keep the full view.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .selectors import admin_organisation_id


def restrict_choices(db_field, request, kwargs: dict) -> dict:
    """Limit organisation and team choices to the administrator's own organisation."""
    if request.user.is_superuser:
        return kwargs
    organisation_id = admin_organisation_id(request.user)
    model = db_field.related_model
    if model._meta.label == "accounts.Organisation" and db_field.name == "organisation":
        kwargs["queryset"] = model.objects.filter(pk=organisation_id)
    elif model._meta.label in ("accounts.Team", "accounts.Department"):
        kwargs["queryset"] = model.objects.filter(organisation_id=organisation_id)
    return kwargs


class ScopedInline:
    """Mixin for inlines: the same limits on organisation and team choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = restrict_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganisationScopedAdmin(admin.ModelAdmin):
    # The lookup from this model to its organisation's id, e.g. "budget__organisation_id".
    organisation_path = "organisation_id"

    def _organisation_id(self, request) -> int | None:
        return None if request.user.is_superuser else admin_organisation_id(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        organisation_id = self._organisation_id(request)
        if organisation_id is None:
            return qs.none()
        return qs.filter(**{self.organisation_path: organisation_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = restrict_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            organisation_id = self._organisation_id(request)
            if hasattr(obj, "organisation_id") and obj.organisation_id is None:
                obj.organisation_id = organisation_id  # e.g. a new user from the add form
            own = getattr(obj, "organisation_id", obj.pk)
            if organisation_id is None or own != organisation_id:
                raise PermissionDenied
        super().save_model(request, obj, form, change)
