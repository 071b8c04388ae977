from django.http import HttpResponse
from django.shortcuts import render

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import organisation_ids
from maatwerk.audit import services as audit

from . import register, selectors


@role_required(Role.PRIVACY_OFFICER)
def index(request):
    return render(request, "privacy/index.html")


@role_required(Role.PRIVACY_OFFICER)
def unusual_reads(request):
    thresholds = selectors.thresholds()
    readers = selectors.unusual_readers(request.user, thresholds)
    # Looking at colleagues' reading is itself a read worth recording (who looked, not at whom).
    audit.record(
        actor=request.user,
        action=audit.Action.VIEW,
        object_type="privacy.unusual_reads",
        reason=f"{len(readers)} gebruikers boven een drempel",
    )
    context = {"readers": readers, "t": thresholds}
    return render(request, "privacy/unusual_reads.html", context)


def _controller(user) -> str:
    names = Organisation.objects.filter(pk__in=organisation_ids(user)).values_list(
        "name", flat=True
    )
    return ", ".join(sorted(names))


@role_required(Role.PRIVACY_OFFICER)
def processing_register(request):
    version, activities = register.load()
    context = {
        "version": version,
        "activities": activities,
        "controller": _controller(request.user),
    }
    return render(request, "privacy/processing_register.html", context)


@role_required(Role.PRIVACY_OFFICER)
def processing_register_export(request, fmt: str):
    controller = _controller(request.user)
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="privacy.processing_register",
        reason=fmt,
    )
    if fmt == "json":
        body, content_type = register.as_json(controller), "application/json; charset=utf-8"
    else:
        body, content_type = register.as_csv(controller), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="verwerkingsregister.{fmt}"'
    return response
