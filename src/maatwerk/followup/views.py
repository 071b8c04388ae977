"""Pages of follow-up: one page per follow-up moment, to read it and (for the workers of the
case's team) record it. Thin: the write is one service call; reads go through the selectors,
which apply need-to-know; every read is audited."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.accounts.selectors import admin_organisation_id
from maatwerk.audit import services as audit
from maatwerk.cases.models import Case
from maatwerk.cases.selectors import may_write, visible_cases
from maatwerk.core import csv_export, xlsx
from maatwerk.core.errors import as_text, to_form
from maatwerk.core.small_numbers import SMALL_NUMBER

from . import charts, cohorts, selectors, services
from .forms import (
    CARRIED_OUT_KEY,
    CarriedOutForm,
    CheckInForm,
    MomentsForm,
    RecordForm,
    StartPilotLightForm,
)
from .models import CheckIn, FollowUp


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
        form = RecordForm(request.POST, lines=selectors.correctable_lines(plan))
        if form.is_valid():
            try:
                services.record(request.user, followup, **form.service_kwargs())
            except ValidationError as error:
                form.add_service_error(error)
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
        form = RecordForm(lines=selectors.correctable_lines(plan))
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=followup)
    action_over = (
        followup.moment != FollowUp.Moment.END_OF_ACTION
        or followup.is_recorded
        or selectors.action_over(plan)
    )
    context = {
        "followup": followup,
        "plan": plan,
        "case": plan.case,
        "form": form,
        "may_record": writer and not followup.is_recorded,
        "not_due": followup.due_on > timezone.localdate(),
        "action_over": action_over,
    }
    return render(request, "followup/record.html", context)


# --- cohorts ---------------------------------------------------------------------------------

COHORT_ROLES = tuple(cohorts.COHORT_ROLES)


def _grouping(request) -> str:
    value = request.GET.get("indeling", cohorts.TEAM)
    return value if value in cohorts.GROUPINGS else cohorts.TEAM


def _grouping_choices() -> list[tuple[str, str]]:
    return [
        (cohorts.TEAM, _("Team")),
        (cohorts.RULE, _("Blocking rule")),
        (cohorts.QUARTER, _("Quarter of approval")),
    ]


@role_required(*COHORT_ROLES)
@require_http_methods(["GET"])
def cohort_overview(request):
    """Realised against predicted return per team, blocking rule or quarter of approval; never
    per worker, small groups suppressed."""
    grouping = _grouping(request)
    # Everything below the page's frame (heading, grouping form, chart and table) is rendered
    # once per scope and state of the figures and kept in the cache under a key carrying both
    # (cohorts.cohort_scope: roles, teams, language, grouping, the teams' stamps): no stale or
    # foreign figures, and a cached request renders only base.html around it.
    scope = cohorts.cohort_scope(request.user, grouping)
    key = f"{scope.key}:page"
    body = cache.get(key)
    if body is None:
        choices = _grouping_choices()
        rows, whole = cohorts.cached_cohorts(scope)
        body = render_to_string(
            "followup/_cohort_page.html",
            {
                "rows": rows,
                "any_plans": any(not c.empty for c in rows),
                "total": whole if cohorts.total_shown(rows) else None,
                "grouping": grouping,
                "groupings": choices,
                "grouping_label": dict(choices)[grouping],
                "chart": charts.cohort_chart(rows),
                "small_number": SMALL_NUMBER,
            },
        )
        cache.set(key, body, cohorts.COHORT_CACHE_SECONDS)
    return render(request, "followup/cohorts.html", {"body": mark_safe(body)})  # noqa: S308


def _cohort_columns(grouping_label: str) -> list[xlsx.Column]:
    return [
        xlsx.Column(grouping_label),
        xlsx.Column(_("Plans"), xlsx.INTEGER),
        xlsx.Column(_("Measured"), xlsx.INTEGER),
        xlsx.Column(_("Measured share (%)"), xlsx.INTEGER),
        xlsx.Column(_("Not measured"), xlsx.INTEGER),
        xlsx.Column(_("Not yet recorded"), xlsx.INTEGER),
        xlsx.Column(_("Outcomes that hold"), xlsx.INTEGER),
        xlsx.Column(_("Measured, no outcome holds"), xlsx.INTEGER),
        xlsx.Column(_("Predicted net (measured plans)"), xlsx.MONEY),
        xlsx.Column(_("Realised net"), xlsx.MONEY),
        xlsx.Column(_("Note")),
    ]


def _cents(amount):
    """Euros to whole cents (the sums come from SQL with up to ten decimals)."""
    return Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _cohort_rows(rows, whole) -> list[list]:
    """One line per cohort; a small cohort shows only its label and a note ("< 5")."""
    result = []
    for c in [*rows, whole] if cohorts.total_shown(rows) else rows:
        if c.empty:
            result.append([c.label, 0, *[None] * 8, _("no approved plans")])
            continue
        if c.small:
            note = (
                _("hidden so that another hidden figure cannot be worked out")
                if c.protected
                else _("fewer than %(n)s households: not shown") % {"n": SMALL_NUMBER}
            )
            result.append([c.label, *[None] * 9, note])
            continue
        euros = [None, None] if c.euros_small else [_cents(c.predicted), _cents(c.realised)]
        if c.euros_protected:
            note = _("hidden so that another hidden figure cannot be worked out")
        elif c.euros_small:
            note = _("fewer than %(n)s households measured: euros not shown") % {"n": SMALL_NUMBER}
        else:
            note = ""
        result.append(
            [
                c.label,
                c.plans,
                c.measured,
                c.measured_share,
                c.not_measured,
                c.awaiting,
                c.holds,
                c.none_holds,
                *euros,
                note,
            ]
        )
    return result


def _cohort_export(request, kind: str):
    grouping = _grouping(request)
    label = dict(_grouping_choices())[grouping]
    rows, whole = cohorts.cached_cohorts(cohorts.cohort_scope(request.user, grouping))
    columns = _cohort_columns(label)
    lines = _cohort_rows(rows, whole)
    name = f"cohorten-{grouping}.{kind}"
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv_export.writer(response, delimiter=";", decimal_comma=True)
        writer.writerow([c.header for c in columns])
        writer.writerows(lines)
    else:
        sheet = xlsx.Sheet(label, columns, lines)
        response = HttpResponse(xlsx.workbook(sheet), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="followup.followup",
        reason=f"cohorts per {grouping} ({kind})",
    )
    return response


@role_required(*COHORT_ROLES)
@require_http_methods(["GET"])
def cohorts_csv(request):
    return _cohort_export(request, "csv")


@role_required(*COHORT_ROLES)
@require_http_methods(["GET"])
def cohorts_xlsx(request):
    return _cohort_export(request, "xlsx")


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
    refused: list[str] = []
    if form.is_valid():
        correcting = selectors.marked_carried_out(plan)
        try:
            services.mark_carried_out(request.user, plan, form.cleaned_data["carried_out_on"])
        except ValidationError as error:
            refused = error.messages
        else:
            said = (
                _(
                    "The day the action was carried out is corrected: "
                    "the follow-ups are rescheduled."
                )
                if correcting
                else _("Action marked as carried out: the follow-ups are rescheduled.")
            )
            messages.success(request, said)
            return redirect(reverse("plans:detail", args=[plan.pk]) + "#followup")
    # Refused: the plan page shows the form again with what was typed and the error at the
    # field (the template tag reads this once), not a banner at the top of the page.
    request.session[CARRIED_OUT_KEY % plan.pk] = {
        "data": {k: v for k, v in request.POST.items() if k.startswith("carried_out_on")},
        "refused": refused,
    }
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#error-summary")


# --- the waakvlam (pilot light) ----------------------------------------------------------------

PILOT_LIGHT_ACTIONS = ("start", "check_in", "stop")


@require_http_methods(["GET", "POST"])
@role_required(*CASE_ROLES)
def pilot_light(request, pk: int):
    """The waakvlam of a closed case (`pk`): its check-ins, and for the workers of the case's
    team the forms to start it, record a check-in and stop it. POST names the action; a
    refused one shows its errors next to the fields, nothing typed lost."""
    try:
        case = visible_cases(request.user).select_related("household", "team").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None
    writer = may_write(request.user, case)
    active = selectors.active_pilot_light(case)
    start_form, check_in_form = StartPilotLightForm(), CheckInForm()
    status = 200
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in PILOT_LIGHT_ACTIONS:
            return HttpResponseBadRequest()
        form = None
        try:
            if action == "start":
                form = start_form = StartPilotLightForm(request.POST)
                if form.is_valid():
                    services.start_pilot_light(
                        request.user, case, interval_months=form.cleaned_data["interval_months"]
                    )
                    messages.success(request, _("Pilot light started."))
                    return redirect("followup:pilot_light", pk=case.pk)
            elif action == "check_in":
                form = check_in_form = CheckInForm(request.POST)
                if active is None:
                    form.add_error(None, _("This case has no active pilot light."))
                elif form.is_valid():
                    services.record_check_in(request.user, active, **form.cleaned_data)
                    if form.cleaned_data["outcome"] == CheckIn.Outcome.NEEDS_HELP:
                        messages.success(
                            request,
                            _(
                                "Check-in recorded. The household needs help again: "
                                "you can reopen the case below."
                            ),
                        )
                        return redirect(
                            reverse("followup:pilot_light", args=[case.pk]) + "#needs-help"
                        )
                    messages.success(request, _("Check-in recorded."))
                    return redirect("followup:pilot_light", pk=case.pk)
            elif active is not None:
                services.stop_pilot_light(request.user, active)
                messages.success(request, _("Pilot light stopped."))
                return redirect("followup:pilot_light", pk=case.pk)
            else:
                messages.error(request, _("This case has no active pilot light."))
                return redirect("followup:pilot_light", pk=case.pk)
        except ValidationError as error:
            if form is None:
                messages.error(request, as_text(error))
                return redirect("followup:pilot_light", pk=case.pk)
            to_form(form, error)
        status = 400
    lights = selectors.pilot_lights_of(case)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="pilot light")
    latest = lights[0].check_ins.all()[:1] if lights else []
    context = {
        # The latest check-in said "needs help again": offer to reopen the closed case (or
        # start a new one for the household) through the case pages' own actions.
        "needs_help": writer
        and case.status == Case.Status.CLOSED
        and bool(latest)
        and latest[0].outcome == CheckIn.Outcome.NEEDS_HELP,
        "case": case,
        "active": next((light for light in lights if light.is_active), None),
        "stopped": [light for light in lights if not light.is_active],
        "may_keep": writer and case.status == Case.Status.CLOSED,
        "start_form": start_form,
        "check_in_form": check_in_form,
        "today": timezone.localdate(),
    }
    return render(request, "followup/pilot_light.html", context, status=status)


# --- the organisation's moments ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def moments(request):
    """The functional administrator sets the organisation's follow-up moments and grace days
    (without them, the deployment's settings hold)."""
    organisation_id = admin_organisation_id(request.user)
    current = selectors.moments_for(organisation_id)
    status = 200
    if request.method == "POST":
        form = MomentsForm(request.POST)
        if form.is_valid():
            try:
                services.set_moments(request.user, organisation_id, **form.cleaned_data)
            except ValidationError as error:
                to_form(form, error)
            else:
                messages.success(request, _("The follow-up moments are saved."))
                return redirect("followup:moments")
        status = 400
    else:
        form = MomentsForm(
            initial={
                "first": current.offsets[0],
                "second": current.offsets[1],
                "grace_days": current.grace_days,
            }
        )
    context = {"form": form, "current": current, "defaults": selectors.default_moments()}
    return render(request, "followup/moments.html", context, status=status)
