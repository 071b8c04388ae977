"""The triage queue of early signals (issue 15, item 4): thin views over selectors/services.

The queue lists no person data; opening a signal shows its person data (BSN masked) and
audits the read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Team
from maatwerk.audit import services as audit
from maatwerk.cases import bsn as bsn_lib
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.cases.services import KnownElsewhere, OpenCaseExists

from . import selectors, services
from .forms import ContactAttemptForm, LinkCaseForm, OpenCaseForm, ResultForm
from .models import Status


@login_required
def queue(request):
    if not selectors.may_triage(request.user):
        raise PermissionDenied
    rows = selectors.queue(request.user)
    return render(request, "partners/queue.html", {"rows": rows})


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
        "open": OpenCaseForm(prefix="open", initial={"title": _("Early signal: payment arrears")}),
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
