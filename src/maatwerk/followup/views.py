"""Pages of follow-up: one page per follow-up moment, to read it and (for the workers of the
case's team) record it. Thin: the write is one service call; reads go through the selectors,
which apply need-to-know; every read is audited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.audit import services as audit
from maatwerk.cases.selectors import may_write
from maatwerk.core.errors import to_form

from . import selectors, services
from .forms import CarriedOutForm, RecordForm
from .models import FollowUp


@require_http_methods(["GET", "POST"])
@role_required(*CASE_ROLES)
def record(request, pk: int):
    """GET: the follow-up (its outcomes once recorded, else the form for whoever may record it).
    POST: record it; the last one closes the plan."""
    try:
        followup = selectors.followup_detail(request.user, pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None
    plan = followup.plan
    writer = may_write(request.user, plan.case)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                services.record(request.user, followup, **form.service_kwargs())
            except ValidationError as error:
                to_form(form, error)
            else:
                plan.refresh_from_db()
                if plan.status == plan.Status.CLOSED:
                    messages.success(
                        request,
                        _("Follow-up recorded. It was the plan's last: the plan is closed."),
                    )
                else:
                    messages.success(request, _("Follow-up recorded."))
                return redirect(reverse("plans:detail", args=[plan.pk]) + "#followup")
    else:
        form = RecordForm()
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=followup)
    context = {
        "followup": followup,
        "plan": plan,
        "case": plan.case,
        "form": form,
        "may_record": writer and not followup.is_recorded,
        "not_due": followup.due_on > timezone.localdate(),
    }
    return render(request, "followup/record.html", context)


@require_http_methods(["POST"])
@role_required(*CASE_ROLES)
def carried_out(request, pk: int):
    """POST from the plan page: the day the plan's tailored action was carried out (`pk` is one
    of the plan's follow-ups). Back to the plan page, with the error when the day is refused."""
    try:
        followup = selectors.followup_detail(request.user, pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None
    plan = followup.plan
    if not may_write(request.user, plan.case):
        raise PermissionDenied
    form = CarriedOutForm(request.POST)
    if form.is_valid():
        try:
            services.mark_carried_out(request.user, plan, form.cleaned_data["carried_out_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Action marked as carried out: the follow-ups are rescheduled.")
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#followup")
