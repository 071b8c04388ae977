"""The triage queue of early signals (issue 15, item 4): thin views over selectors/services.

The queue lists no person data; opening a signal shows its person data (BSN masked) and
audits the read.
"""

import base64
import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Team
from maatwerk.audit import services as audit
from maatwerk.cases import bsn as bsn_lib
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.cases.services import KnownElsewhere, OpenCaseExists
from maatwerk.core.errors import to_form

from . import ddas, selectors, services
from .forms import (
    ContactAttemptForm,
    HandoverForm,
    LinkCaseForm,
    MonthForm,
    OpenCaseForm,
    ResultForm,
)
from .models import Status


@login_required
def queue(request):
    if not selectors.may_triage(request.user):
        raise PermissionDenied
    rows = selectors.queue(request.user)
    return render(request, "partners/queue.html", {"rows": rows})


def _case_title(signal) -> str:
    if signal.is_handover:  # no arrears: a department handed the resident over
        return _("Warm handover: %(department)s") % {"department": signal.partner.name}
    return _("Early signal: payment arrears")


def _writable_teams(user, signal):
    ids = case_selectors.writable_team_ids(user)
    if signal.team_id is not None:
        ids = ids & {signal.team_id}
    return Team.objects.filter(pk__in=ids).order_by("name")


@login_required
def detail(request, public_id):
    user = request.user
    signal = selectors.triage_signal(user, public_id)
    if signal is None:
        raise Http404
    teams = list(_writable_teams(user, signal))
    cases = (
        case_selectors.visible_cases(user)
        .filter(team__in=teams, status=Case.Status.OPEN)
        .select_related("household")
        .order_by("household__reference")
    )
    forms = {
        "contact": ContactAttemptForm(prefix="contact"),
        "result": ResultForm(prefix="result"),
        "open": OpenCaseForm(prefix="open", initial={"title": _case_title(signal)}),
        "link": LinkCaseForm(prefix="link", cases=cases),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            return HttpResponseBadRequest(_("Choose what to record."))
        bound = {
            "contact": lambda: ContactAttemptForm(request.POST, prefix="contact"),
            "result": lambda: ResultForm(request.POST, prefix="result"),
            "open": lambda: OpenCaseForm(request.POST, prefix="open"),
            "link": lambda: LinkCaseForm(request.POST, prefix="link", cases=cases),
        }[action]()
        forms[action] = bound
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if action == "contact":
                    services.record_contact_attempt(actor=user, signal=signal, **data)
                    messages.success(request, _("Contact attempt recorded."))
                elif action == "result":
                    services.record_result(actor=user, signal=signal, result=data["result"])
                    messages.success(request, _("End result recorded."))
                elif action == "link":
                    services.link_case(actor=user, signal=signal, case=data["case"])
                    messages.success(request, _("Signal linked to the case."))
                    return redirect("cases:detail", data["case"].pk)
                else:
                    if not teams:
                        raise PermissionDenied
                    case = services.open_case(actor=user, signal=signal, team=teams[0], **data)
                    messages.success(request, _("Case opened from the signal."))
                    return redirect("cases:detail", case.pk)
                return redirect("partners:signal", signal.public_id)
            except (KnownElsewhere, OpenCaseExists):
                bound.add_error(
                    None,
                    _("This person is already known in a case: link the signal to that case."),
                )
            except ValidationError as error:
                for message in error.messages:
                    bound.add_error(None, message)
    audit.record_views(actor=user, objects=[signal], reason="triage of an early signal")
    number = bsn_lib.decrypt(signal.bsn_encrypted) if signal.bsn_encrypted else ""
    context = {
        "signal": signal,
        "masked_bsn": bsn_lib.mask(number) if number else "",
        "forms": forms,
        "open": signal.status == Status.NEW,
        "may_open": bool(teams),
        "has_cases": cases.exists(),
        "queue_url": reverse("partners:queue"),
    }
    return render(request, "partners/signal.html", context)


# --- warm handover from a department (issue 15, item 4) ----------------------------------------


@login_required
def handover(request):
    """A worker or team lead records a warm handover from a department of the municipality
    (e.g. Werk en Inkomen, "uitkering beëindigd"): it lands in the triage queue, labelled."""
    team_ids = selectors.handover_team_ids(request.user)
    if not team_ids:
        raise PermissionDenied
    teams = Team.objects.filter(pk__in=team_ids).order_by("name")
    form = HandoverForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            signal = services.record_handover(
                actor=request.user,
                team=data.pop("team"),
                department_name=data.pop("department"),
                **data,
            )
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The warm handover is in the triage queue."))
            return redirect("partners:signal", signal.public_id)
    return render(
        request,
        "partners/handover.html",
        {"form": form, "queue_url": reverse("partners:queue")},
        status=400 if form.errors else 200,
    )


# --- the monthly DDAS export (issue 15, item 6) ------------------------------------------------


def _months(today, count: int = 12) -> list:
    firsts, first = [], today.replace(day=1)
    for _i in range(count):
        firsts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return firsts


@role_required(*selectors.DDAS_ROLES)
@require_GET
def ddas_export(request):
    """The manager's page: choose a month and download the DDAS export as JSON or CSV."""
    organisations = selectors.ddas_organisations(request.user)
    months = [(ddas.month_key(m), date_format(m, "F Y")) for m in _months(timezone.localdate())]
    chosen = request.GET.get("maand")
    first = ddas.parse_month(chosen) if chosen else None
    if first is None:
        first = _months(timezone.localdate())[1]  # the last full month
    form = MonthForm(initial={"month": ddas.month_key(first)}, months=months)
    rows = [(org, ddas.creditor_signals(org.pk, first).count()) for org in organisations]
    return render(
        request,
        "partners/ddas_export.html",
        {"form": form, "rows": rows, "month": ddas.month_key(first),
         "month_label": date_format(first, "F Y")},
    )  # fmt: skip


@role_required(*selectors.DDAS_ROLES)
@require_GET
def ddas_download(request, fmt: str):
    """One organisation's month (`?maand=2026-10&organisatie=<id>`; without them the last full
    month and the user's first organisation) as JSON or CSV, checked against the schema; the
    SHA-256 of the file in `Repr-Digest`. Audited."""
    asked = request.GET.get("maand")
    first = ddas.parse_month(asked) if asked else _months(timezone.localdate())[1]
    organisations = selectors.ddas_organisations(request.user)
    raw = request.GET.get("organisatie", "")
    organisation = next((o for o in organisations if str(o.pk) == raw), None)
    if organisation is None and not raw and organisations:
        organisation = organisations[0]
    if first is None or organisation is None:
        raise Http404
    data = ddas.payload(organisation, first, now=timezone.now())
    if fmt == "json":
        content, content_type = ddas.to_json(data), "application/json"
    else:
        content, content_type = ddas.to_csv(data), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{ddas.filename(organisation.name, first, fmt)}"'
    )
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="partners.ddas_export",
        object_id=organisation.pk,
        reason=f"DDAS monthly export {ddas.month_key(first)} ({fmt})",
    )
    return response


@require_GET
def ddas_schema(request):
    """The JSON Schema of the DDAS monthly export (public: it holds no figures)."""
    response = HttpResponse(
        ddas.SCHEMA_PATH.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
