import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role, organisation_ids
from maatwerk.audit import services as audit
from maatwerk.cases.models import Case, Resident
from maatwerk.core.domains import LifeDomain

from . import access, register, retention, selectors, services
from .forms import (
    AccessSearchForm,
    ApproveListForm,
    DestructionRequestSearchForm,
    HouseholdReferenceForm,
    LegalHoldForm,
    LiftLegalHoldForm,
    OwnPeriodForm,
    RecordRequestForm,
    RequestDestructionForm,
)
from .models import DataSubjectRequest, DestructionItem


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


# --- retention and destruction (issue 17, points 1 and 2) -------------------------------------


@role_required(Role.PRIVACY_OFFICER, Role.ADMIN)
def retention_rules(request):
    rules = selectors.visible_retention_rules(request.user)
    own_orgs = Organisation.objects.filter(pk__in=organisation_ids(request.user)).exclude(
        kind=Organisation.Kind.MUNICIPALITY
    )
    may_set = has_role(request.user, Role.ADMIN) and own_orgs.exists()
    codes = sorted({r.code for r in rules if r.organisation_id is None})
    form = OwnPeriodForm(request.POST or None, codes=codes) if may_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_own_period(
                    request.user,
                    code=form.cleaned_data["code"],
                    years=form.cleaned_data["period_years"],
                    days=form.cleaned_data["period_days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The organisation's own period is saved."))
                return redirect("privacy:retention")
    mapping = retention.mapping()
    context = {
        "rules": rules,
        "mapping": mapping,
        "domain_rules": [(LifeDomain(d).label, code) for d, code in mapping.life_domains.items()],
        "form": form,
    }
    return render(request, "privacy/retention.html", context)


@role_required(Role.PRIVACY_OFFICER)
def destruction_list(request):
    lst = selectors.open_list(request.user)
    approve_form = ApproveListForm()
    if request.method == "POST":
        if lst is None:
            messages.info(request, _("There is no destruction list to decide on."))
            return redirect("privacy:destruction")
        action = request.POST.get("action")
        try:
            if action == "remove":
                item = get_object_or_404(
                    DestructionItem, pk=request.POST.get("item") or 0, destruction_list=lst
                )
                services.remove_item(request.user, item)
                messages.success(request, _("The case is taken off the list."))
            elif action == "approve":
                # Irreversible: only with the confirmation ticked; otherwise the page again.
                approve_form = ApproveListForm(request.POST)
                if approve_form.is_valid():
                    result = services.approve_list(request.user, lst)
                    messages.success(
                        request,
                        _("The list is approved: %(destroyed)d cases destroyed, %(held)d kept.")
                        % result,
                    )
            else:
                messages.error(request, _("Choose what to do with the list."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if not approve_form.errors:
            return redirect("privacy:destruction")
    items = list(lst.items.order_by("retention_end", "id")) if lst else []
    if lst:
        codes = {c.strip() for i in items for c in i.rule_codes.split(",") if c.strip()}
        labels = selectors.rule_labels(codes, lst.organisation_id)
        for item in items:
            item.rule_labels = [
                labels.get(c.strip(), c.strip()) for c in item.rule_codes.split(",") if c.strip()
            ]
    audit.record(
        actor=request.user,
        action=audit.Action.VIEW,
        object_type="privacy.destructionlist",
        object_id=lst.pk if lst else "",
        reason=f"{len(items)} casussen op de lijst",
    )
    context = {
        "list": lst,
        "items": items,
        "proposed": [i for i in items if i.status == DestructionItem.Status.PROPOSED],
        "past": selectors.past_lists(request.user),
        "approve_form": approve_form,
    }
    return render(request, "privacy/destruction.html", context)


@role_required(Role.PRIVACY_OFFICER)
def legal_hold_search(request):
    form = HouseholdReferenceForm(request.GET or None)
    cases = []
    if form.is_valid():
        cases = selectors.cases_by_reference(request.user, form.cleaned_data["reference"])
    held = selectors.held_case_ids([c.pk for c in cases])
    rows = [(c, c.pk in held) for c in cases]
    searched = form.is_bound and form.is_valid()
    active = selectors.active_holds(request.user)
    # The overview names cases (by reference): who looked is recorded, as for the list.
    audit.record(
        actor=request.user,
        action=audit.Action.VIEW,
        object_type="privacy.legalhold",
        reason=f"{len(active)} actieve bewaarplichten",
    )
    context = {"form": form, "rows": rows, "searched": searched, "active_holds": active}
    return render(request, "privacy/legal_hold_search.html", context)


@role_required(Role.PRIVACY_OFFICER)
def legal_hold(request, pk):
    case = selectors.hold_case(request.user, pk)
    lifting = request.POST.get("action") == "lift"
    form = LegalHoldForm(request.POST if request.method == "POST" and not lifting else None)
    lift_form = LiftLegalHoldForm(request.POST if lifting else None)
    if request.method == "POST":
        try:
            if lifting:
                if lift_form.is_valid():
                    services.lift_legal_hold(
                        request.user, case, reason=lift_form.cleaned_data["lift_reason"]
                    )
                    messages.success(request, _("The hold is lifted."))
                    return redirect("privacy:legal_hold", pk=case.pk)
            elif form.is_valid():
                services.set_legal_hold(request.user, case, reason=form.cleaned_data["reason"])
                messages.success(request, _("The case is held: it is not destroyed."))
                return redirect("privacy:legal_hold", pk=case.pk)
        except ValidationError as error:
            (lift_form if lifting else form).add_error(None, error)
    holds = selectors.holds_of(case)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="bewaarplicht")
    retention_row = selectors.case_retention(Case.objects.filter(pk=case.pk))[0]
    context = {
        "case": case,
        "form": form,
        "lift_form": lift_form,
        "active": next((h for h in holds if h.lifted_at is None), None),
        "lifted": [h for h in holds if h.lifted_at is not None],
        "retention": retention_row,
        "rule_names": selectors.rule_names(retention_row.codes, case.team.organisation_id),
    }
    return render(request, "privacy/legal_hold.html", context)


@role_required(Role.PRIVACY_OFFICER)
def destruction_request_search(request):
    """Find the case a request for erasure (AVG art. 17, Jeugdwet art. 7.3.9) is about, by the
    person's BSN (through its keyed hash, as the right of access finds a person) or by the
    household's reference. Sent by POST: a BSN never stands in an address or a server log."""
    form = DestructionRequestSearchForm(request.POST or None)
    cases = []
    searched = request.method == "POST" and form.is_valid()
    if searched:
        query = form.cleaned_data["query"]
        if form.is_bsn:
            cases = selectors.cases_by_bsn(request.user, query)
        else:
            cases = selectors.cases_by_reference(request.user, query)
        # Who searched and how, never the number itself.
        audit.record(
            actor=request.user,
            action=audit.Action.VIEW,
            object_type="privacy.destruction_request",
            reason=f"{'op BSN' if form.is_bsn else 'op kenmerk'}: {len(cases)} casussen gevonden",
        )
    context = {"form": form, "cases": cases, "searched": searched}
    return render(request, "privacy/destruction_request_search.html", context)


@role_required(Role.PRIVACY_OFFICER)
def destruction_request(request, pk):
    """Put one case on the destruction list on request of the person concerned."""
    case = selectors.hold_case(request.user, pk)
    form = RequestDestructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_destruction(
                request.user,
                case,
                ground=form.cleaned_data["ground"],
                requested_on=form.cleaned_data["requested_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The case is on the destruction list, on request of the person concerned. "
                    "It is destroyed when the list is approved."
                ),
            )
            return redirect("privacy:destruction")
    audit.record(
        actor=request.user, action=audit.Action.VIEW, obj=case, reason="vernietiging op verzoek"
    )
    destroyed = selectors.destroyed_item_of(case)
    held = bool(selectors.held_case_ids([case.pk]))
    context = {
        "case": case,
        "form": form,
        "held": held,
        "is_open": case.status != Case.Status.CLOSED,
        # The service refuses these too; the page says so before anything is sent.
        "refused": bool(destroyed) or held or case.status != Case.Status.CLOSED,
        "on_list": selectors.open_item_of(case),
        "destroyed": destroyed,
    }
    return render(request, "privacy/destruction_request.html", context)
