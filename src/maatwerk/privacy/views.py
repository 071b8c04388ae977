import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import organisation_ids
from maatwerk.audit import services as audit
from maatwerk.cases.models import Resident

from . import access, register, selectors, services
from .forms import AccessSearchForm, RecordRequestForm
from .models import DataSubjectRequest


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


def _resident_for(request, pk):
    resident = get_object_or_404(
        Resident.objects.select_related("household__team"),
        pk=pk,
        household__team__organisation_id__in=organisation_ids(request.user),
    )
    return resident


def _export_for(request, resident) -> access.Export:
    number = resident.bsn_plain()
    # Without a BSN the person is this one record; with one, every record with that number.
    residents = access.residents_for(number, organisation_ids(request.user)) if number else []
    residents = residents or [resident]
    return access.build(
        number, residents, organisation_ids(request.user), _controller(request.user)
    )


@role_required(Role.PRIVACY_OFFICER)
def access_search(request):
    form = AccessSearchForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        found = access.residents_for(form.cleaned_data["bsn"], organisation_ids(request.user))
        if found:
            services.record_request(
                request.user,
                found[0],
                kind=DataSubjectRequest.Kind.ACCESS,
                received_on=form.cleaned_data["received_on"],
            )
            return redirect("privacy:access_person", pk=found[0].pk)
        # A search that finds nobody is recorded too (who searched, not the number).
        audit.record(
            actor=request.user,
            action=audit.Action.VIEW,
            object_type="privacy.access_search",
            reason="niemand gevonden",
        )
        not_found = True
    return render(request, "privacy/access_search.html", {"form": form, "not_found": not_found})


@role_required(Role.PRIVACY_OFFICER)
def access_person(request, pk):
    resident = _resident_for(request, pk)
    export = _export_for(request, resident)
    audit.record(
        actor=request.user, action=audit.Action.VIEW, obj=resident, reason="AVG art. 15 overzicht"
    )
    form = RecordRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_request(request.user, resident, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request is recorded on the person."))
            return redirect("privacy:access_person", pk=resident.pk)
    context = {
        "resident": resident,
        "export": export,
        "form": form,
        "requests": resident.data_subject_requests.select_related("recorded_by"),
    }
    return render(request, "privacy/access_person.html", context)


@role_required(Role.PRIVACY_OFFICER)
def access_export(request, pk, fmt: str):
    resident = _resident_for(request, pk)
    export = _export_for(request, resident)
    audit.record(
        actor=request.user, action=audit.Action.EXPORT, obj=resident, reason=f"AVG art. 15 ({fmt})"
    )
    name = f"inzage-{resident.household.reference}"
    if fmt == "json":
        body = json.dumps(export.as_dict(), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        html = render_to_string("privacy/access_pdf.html", {"export": export}, request)
        from weasyprint import HTML  # heavy import: only when a PDF is asked for

        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
