from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.accounts.selectors import admin_organisation_id
from maatwerk.audit import services as audit
from maatwerk.cases.selectors import may_write
from maatwerk.core import csv_export, xlsx
from maatwerk.core.errors import as_text, to_form
from maatwerk.core.formatting import money
from maatwerk.core.templatetags.maatwerk import long_date
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans import views as plan_views
from maatwerk.plans.messages import CORNER_LABELS
from maatwerk.plans.models import Plan

from . import selectors, services
from .forms import ConsultationForm, DecideForm, LedgerActionForm, PaymentForm
from .models import Budget, DecisionStep, LedgerEntry

BUDGET_ROLES = tuple(selectors.BUDGET_ROLES)
# Case roles, and department deciders for the plans routed to their department.
DECIDING_ROLES = (*CASE_ROLES, Role.DECIDER)


@role_required(*CASE_ROLES)
def submit_plan(request, pk: int):
    """Submit a plan from its page: the value-triangle checks, then routing to its deciders.

    Lives here, not in plans, because routing is a decision matter and plans must not import
    decisions. A complete plan is first confirmed on its own page (who it goes to, and that it
    cannot be changed until decided): the plan page's button posts without ``confirmed``, the
    confirmation page with it. A refusal (a corner incomplete, nobody to decide) shows on the
    plan page."""
    plan = _team_plan_or_404(request.user, pk)
    if request.method != "POST":
        # The confirmation is a page of its own (GET), so the browser's Back lands on it, not
        # on "Confirm Form Resubmission"; once the plan is no longer a draft it leads back to
        # the plan.
        if not plan.is_draft or not may_write(request.user, plan.case):
            return redirect("plans:detail", pk=plan.pk)
        detail = plan_selectors.plan_detail(request.user, pk)
        if not plan_selectors.assess(request.user, detail)[0].complete:
            return redirect("plans:detail", pk=plan.pk)
        preview = selectors.submit_preview(detail, request.user)
        context = {
            "plan": detail,
            "preview": preview,
            "names": ", ".join(
                u.get_full_name() or u.username for u in (preview.deciders if preview else [])
            ),
        }
        return render(request, "decisions/confirm_submit.html", context)
    if request.POST.get("confirmed") != "yes" and plan.is_draft:
        if not may_write(request.user, plan.case):
            raise PermissionDenied
        detail = plan_selectors.plan_detail(request.user, pk)
        if plan_selectors.assess(request.user, detail)[0].complete:
            return redirect("decisions:submit", pk=plan.pk)
        # An incomplete plan: the service refuses it, and the plan page says what is missing.
    try:
        step = services.submit_plan(request.user, plan)
    except ValidationError as e:
        refusal = (
            [(CORNER_LABELS.get(corner, corner), msgs) for corner, msgs in e.message_dict.items()]
            if hasattr(e, "error_dict")
            else [(_("Decision"), e.messages)]
        )
        context = plan_views._detail_context(request, plan_selectors.plan_detail(request.user, pk))
        context["refusal"] = refusal
        return render(request, "plans/plan_detail.html", context, status=400)
    names = ", ".join(u.get_full_name() or u.username for u in selectors.step_deciders(step))
    messages.success(
        request,
        _("The plan is submitted. %(who)s (%(level)s) decides by %(date)s.")
        % {"who": names, "level": step.level_label, "date": long_date(step.deadline)},
    )
    return redirect("plans:detail", pk=plan.pk)


@role_required(Role.ADMIN)
def empty_levels(request):
    """For the functional administrator: every team whose ladder has a level nobody holds,
    departments without a decider, and whether the mandates are configured at all."""
    organisation = Organisation.objects.get(pk=admin_organisation_id(request.user))
    config = selectors.config_for(organisation)
    context = {
        "organisation": organisation,
        "mandates_configured": config.mandates_configured,
        "ladder_configured": bool(config.rows),
        "empty": selectors.empty_levels(organisation),
        "empty_departments": selectors.empty_departments(organisation),
    }
    return render(request, "decisions/empty_levels.html", context)


@role_required(*DECIDING_ROLES)
def inbox(request):
    """Plans awaiting the user's decision: amount, age, deadline, overdue marks."""
    now = timezone.now()
    steps = list(selectors.inbox(request.user))
    routed = {s.pk for s in steps}
    votes = [s for s in selectors.peer_votes_waiting(request.user) if s.pk not in routed]
    audit.record_views(
        actor=request.user, objects=[s.plan for s in steps + votes], reason="decisions inbox"
    )

    mdt = selectors.mdt_state(s.plan_id for s in steps)

    def rows(steps_):
        return [
            {
                "step": s,
                "plan": s.plan,
                "age": selectors.age_in_days(s, now),
                "overdue": selectors.is_overdue(s, now),
                "mdt": mdt.get(s.plan_id),
            }
            for s in steps_
        ]

    context = {
        "rows": rows(steps),
        "vote_rows": rows(votes),
        "own_mandates": selectors.own_mandates(request.user),
    }
    return render(request, "decisions/inbox.html", context)


def _not_routed(request, pk: int):
    """A decision link that is not (or no longer) the user's to decide: whoever may see the plan
    goes to its trail, told who decided it and when; whoever decided on it before (a department
    decider, who sees no case) goes to the inbox with the same words; anybody else gets 404."""
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    sees_plan = plan_selectors.visible_plans(request.user).filter(pk=pk).exists()
    if not sees_plan and not selectors.decided_on(request.user, plan):
        raise Http404
    last = selectors.last_decided_step(plan)
    if last is not None and plan.status != Plan.Status.SUBMITTED:
        who = (
            (last.decided_by.get_full_name() or last.decided_by.username) if last.decided_by else ""
        )
        outcome = (
            _("withdrawn")
            if last.outcome == DecisionStep.Outcome.WITHDRAW
            else last.get_outcome_display()
        )
        messages.info(
            request,
            _("This plan was already decided (%(outcome)s) by %(who)s on %(date)s.")
            % {
                "outcome": outcome,
                "who": who or _("the system"),
                "date": long_date(timezone.localdate(last.decided_at)),
            },
        )
    else:
        messages.info(request, _("This plan does not wait for your decision."))
    if sees_plan:
        return redirect("decisions:trail", pk=pk)
    return redirect("decisions:inbox")


def _decided_on(user, pk: int) -> bool:
    plan = Plan.objects.filter(pk=pk).first()
    return plan is not None and selectors.decided_on(user, plan)


def _budget_after(plan: Plan, now) -> tuple[object, object]:
    """(budget row, what is left after approving `plan`) — (None, None) for a plan without
    money or a team without a budget this year (approving then refuses, with its reason)."""
    found = selectors.budget_after(plan, timezone.localdate(now).year)
    return (found.row, found.left) if found else (None, None)


def _budget_name(budget: Budget) -> str:
    return budget.team.name if budget.team_id else budget.organisation.name


# The decision page's query parameter that shows the confirmation of an approval.
CONFIRM_PARAM = "bevestigen"


def _reason_key(pk: int) -> str:
    """Where the reason typed on the decision page waits while the approval is confirmed."""
    return f"decisions.approve_reason.{pk}"


@role_required(*DECIDING_ROLES)
def decide(request, pk: int):
    """The decision page: the plan itself (its three corners, result, chart and trail), the
    budget now and after this decision, and the form. A department decider who may not open the
    case reads the plan here. Approving money is confirmed first, naming amount and budget."""
    try:
        step = selectors.open_step_for(request.user, pk)
    except DecisionStep.DoesNotExist:
        # A decision posted again (Back, reload) by whoever decided on the plan meanwhile: a
        # message on the plan's page, not an error page. Anybody else may not post here.
        if request.method == "POST" and not _decided_on(request.user, pk):
            raise Http404 from None
        return _not_routed(request, pk)
    plan = plan_selectors.with_details(Plan.objects.filter(pk=step.plan_id)).get()
    now = timezone.now()
    budget_row, after = _budget_after(plan, now)
    needs_confirmation = bool(plan.amount_requested) and budget_row is not None and after >= 0
    if request.method == "GET" and request.GET.get(CONFIRM_PARAM) and needs_confirmation:
        # Money is committed only after the decider saw amount, budget and what remains. The
        # confirmation is a page of its own (GET), so Back lands on a real page.
        context = {
            "plan": plan,
            "step": step,
            "reason": request.session.get(_reason_key(plan.pk), ""),
            "amount": plan.amount_requested,
            "budget_name": _budget_name(budget_row.budget),
            "after": after,
        }
        return render(request, "decisions/confirm_approve.html", context)
    mandates = selectors.step_mandates(step)
    form = DecideForm(
        request.POST or None,
        without_money=not plan.amount_requested,
        may_escalate=mandates.escalates_to is not None,
    )
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        reason = form.cleaned_data["reason"]
        if action == "approve" and not form.cleaned_data["confirmed"] and needs_confirmation:
            request.session[_reason_key(plan.pk)] = reason
            return redirect(reverse("decisions:decide", args=[plan.pk]) + f"?{CONFIRM_PARAM}=1")
        try:
            done = services.decide(request.user, plan, action, reason)
        except (ValidationError, PermissionDenied) as e:
            to_form(form, e)
        else:
            request.session.pop(_reason_key(plan.pk), None)
            messages.success(request, _decided(action, plan, budget_row, done))
            return redirect("decisions:inbox")
    if request.method == "GET":
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="decision")
    context = {
        **plan_views.document_context(request.user, plan),
        "embedded": True,
        "step": step,
        "form": form,
        "consultations": selectors.consultations(plan),
        "budget_row": budget_row,
        "budget_after": after,
        # The other submitted plans on the same budget ("Left after this decision" keeps them).
        "other_pending": (
            max(budget_row.pending - plan.amount_requested, Decimal(0)) if budget_row else None
        ),
        "overdue": selectors.is_overdue(step, now),
        "sees_plan": plan_selectors.visible_plans(request.user).filter(pk=plan.pk).exists(),
        "mandates": mandates,
        "escalates_label": _escalates_label(plan, mandates),
        "revision": selectors.revision_note(plan),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/decide.html", context, status=status)


def _escalates_label(plan: Plan, mandates) -> str:
    """Who gets the plan when the decider passes it on: names and level."""
    if mandates.escalates_to is None:
        return ""
    level = mandates.escalates_to.level
    label = selectors.level_name(level.key)
    names = ", ".join(
        u.get_full_name() or u.username for u in selectors.level_deciders(plan, level)
    )
    return f"{names} ({label})" if names else label


def _escalated(plan: Plan, step: DecisionStep) -> str:
    """Where an escalated plan is now: with whom, and by when they decide."""
    names = ", ".join(u.get_full_name() or u.username for u in selectors.step_deciders(step))
    return _("Plan %(n)s (case %(ref)s) is now with %(who)s (%(level)s), by %(date)s.") % {
        "n": plan.pk,
        "ref": plan.case.household.reference,
        "who": names or step.level_label,
        "level": step.level_label,
        "date": long_date(step.deadline),
    }


def _decided(action: str, plan: Plan, budget_row, step: DecisionStep) -> str:
    """The success message of a decision: which plan of which case, and what happened."""
    if action == "escalate":
        return _escalated(plan, step)
    values = {"n": plan.pk, "ref": plan.case.household.reference}
    if action == "approve" and plan.amount_requested:
        return _(
            "Plan %(n)s (case %(ref)s) is approved; %(amount)s is committed on the "
            "maatwerkbudget of %(budget)s."
        ) % {
            **values,
            "amount": money(plan.amount_requested),
            "budget": _budget_name(budget_row.budget) if budget_row else "",
        }
    return {
        "approve": _("Plan %(n)s (case %(ref)s) is approved."),
        "reject": _("Plan %(n)s (case %(ref)s) is rejected; the worker sees your reason."),
        "consult": _(
            "An MDT consultation is asked on plan %(n)s (case %(ref)s); it stays with you."
        ),
    }[action] % values


def _team_plan_or_404(user, pk: int) -> Plan:
    try:
        return plan_selectors.visible_plans(user).select_related("case").get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


@role_required(*CASE_ROLES)
def plan_trail(request, pk: int):
    """For the plan's team: where the plan is, every decision step with its reason, the MDT
    consultations, and the button to escalate an overdue plan."""
    plan = _team_plan_or_404(request.user, pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="decision trail")
    trail = selectors.trail(plan)
    current = next((s for s in trail if s.is_open), None)
    context = {
        "plan": plan,
        "trail": trail,
        "consultations": selectors.consultations(plan),
        "current": current,
        "overdue": current is not None and selectors.is_overdue(current),
        "may_write": may_write(request.user, plan.case),
        "may_vote": current is not None and selectors.may_vote(request.user, plan),
        "may_escalate": current is not None
        and selectors.step_mandates(current).escalates_to is not None,
    }
    return render(request, "decisions/plan_trail.html", context)


@require_POST
@role_required(*CASE_ROLES)
def escalate_plan(request, pk: int):
    """The worker escalates an overdue plan by hand."""
    plan = _team_plan_or_404(request.user, pk)
    try:
        reason = _("Escalated by hand: deadline passed.")
        step = services.escalate(request.user, plan, reason=reason)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, as_text(e))
    else:
        messages.success(request, _escalated(plan, step))
    return redirect("decisions:trail", pk=plan.pk)


@require_POST
@role_required(*CASE_ROLES)
def withdraw_plan(request, pk: int):
    """The author withdraws a submitted plan (confirmed on the plan page) before it is decided."""
    plan = _team_plan_or_404(request.user, pk)
    try:
        services.withdraw(request.user, plan, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        messages.error(request, as_text(e))
    else:
        messages.success(request, _("The plan is withdrawn. It no longer waits for a decision."))
    return redirect("plans:detail", pk=plan.pk)


@require_POST
@role_required(*CASE_ROLES)
def peer_vote(request, pk: int):
    """A colleague of the author's team agrees (or not) with a small plan under the peer rule."""
    plan = _team_plan_or_404(request.user, pk)
    try:
        approved = services.peer_vote(request.user, plan, request.POST.get("approve") == "yes")
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, as_text(e))
    else:
        messages.success(
            request,
            _("The plan is approved by colleagues.") if approved else _("Your vote is recorded."),
        )
    return redirect("decisions:trail", pk=plan.pk)


@role_required(*DECIDING_ROLES)
def consultation_new(request, pk: int):
    """Record an MDT consultation on a submitted plan (its team or its current decider)."""
    try:
        step = selectors.open_step_for(request.user, pk)
        plan = step.plan
    except DecisionStep.DoesNotExist:
        step = None
        plan = _team_plan_or_404(request.user, pk)
        if not may_write(request.user, plan.case):
            raise PermissionDenied from None
    if plan.status != Plan.Status.SUBMITTED:
        raise Http404
    deciding = step is not None
    initial = {"date": timezone.localdate(), "question": selectors.consultation_question(plan)}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consult(request.user, plan, **form.cleaned_data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The MDT consultation is recorded."))
            # Back to the plan: its decider decides now, with the advice beside it.
            if deciding:
                return redirect("decisions:decide", pk=plan.pk)
            return redirect("decisions:trail", pk=plan.pk)
    back = (
        reverse("decisions:decide", args=[plan.pk])
        if deciding
        else reverse("decisions:trail", args=[plan.pk])
    )
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "back": back}
    return render(request, "decisions/consult.html", context, status=status)


def _year(request) -> int:
    value = request.GET.get("jaar", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.now().year


@role_required(*BUDGET_ROLES)
def budgets(request):
    """Budget, committed, paid and available per team, for leads and managers."""
    year = _year(request)
    budgets_ = list(selectors.visible_budgets(request.user, year))
    rows = selectors.budget_rows(budgets_)
    by_rule, by_domain = selectors.spending(budgets_)
    years = sorted(
        {*selectors.visible_budgets(request.user).values_list("year", flat=True), year},
        reverse=True,
    )
    total = {
        name: sum((getattr(r, name) for r in rows), Decimal(0))
        for name in ("paid", "committed", "pending", "available", "left")
    }
    total["amount"] = sum((r.budget.amount for r in rows), Decimal(0))
    context = {
        "rows": rows,
        "year": year,
        "years": years,
        "total": total if len(rows) > 1 else None,
        "by_rule": by_rule,
        "by_domain": by_domain,
    }
    return render(request, "decisions/budgets.html", context)


def _export_columns() -> list[xlsx.Column]:
    text = [_("Organisation"), _("Team")]
    # In the order of the budget pages: paid before committed.
    money_columns = [_("Budget"), _("Paid"), _("Committed"), _("Pending"), _("Available")]
    return [
        *(xlsx.Column(h) for h in text),
        xlsx.Column(_("Year"), xlsx.INTEGER),
        *(xlsx.Column(h, xlsx.MONEY) for h in money_columns),
    ]


def _export_rows(user, year: int) -> list[list]:
    rows = selectors.budget_rows(selectors.visible_budgets(user, year))
    result = []
    for r in rows:
        team = r.budget.team.name if r.budget.team else _("Pool")
        b = r.budget
        amounts = [b.amount, r.paid, r.committed, r.pending, r.available]
        result.append([b.organisation.name, team, b.year, *amounts])
    return result


@role_required(*BUDGET_ROLES)
def budgets_csv(request):
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="maatwerkbudget-{year}.csv"'
    writer = csv_export.writer(response, delimiter=";", decimal_comma=True)
    writer.writerow([c.header for c in _export_columns()])
    writer.writerows(_export_rows(request.user, year))
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="decisions.budget",
        reason=f"budget overview {year} (csv)",
    )
    return response


@role_required(*BUDGET_ROLES)
def budgets_xlsx(request):
    year = _year(request)
    sheet = xlsx.Sheet(str(year), _export_columns(), _export_rows(request.user, year))
    response = HttpResponse(xlsx.workbook(sheet), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="maatwerkbudget-{year}.xlsx"'
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="decisions.budget",
        reason=f"budget overview {year} (xlsx)",
    )
    return response


def _budget_or_404(user, pk: int) -> Budget:
    budget = Budget.objects.select_related("team", "organisation").filter(pk=pk).first()
    if budget is None or not selectors.manages_budget(user, budget):
        raise Http404
    return budget


def _ledger_columns() -> list[xlsx.Column]:
    return [
        xlsx.Column(_("Entry"), xlsx.INTEGER),
        xlsx.Column(_("When"), xlsx.DATE),
        xlsx.Column(_("Plan"), xlsx.INTEGER),
        xlsx.Column(_("Case")),
        xlsx.Column(_("What")),
        xlsx.Column(_("Amount"), xlsx.MONEY),
        xlsx.Column(_("Paid to")),
        xlsx.Column(_("In kind")),
        xlsx.Column(_("Refers to"), xlsx.INTEGER),
        xlsx.Column(_("Corrected by"), xlsx.INTEGER),
        xlsx.Column(_("Note")),
        xlsx.Column(_("Paid on"), xlsx.DATE),
        xlsx.Column(_("Kind of payee")),
        xlsx.Column(_("Booked by")),
    ]


def _ledger_rows(budget: Budget) -> list[list]:
    """The ledger as its page shows it: a correction as a negative amount, the payee only on
    a payment, and which correction cancelled a row."""
    entries = selectors.budget_entries(budget)
    corrected = selectors.corrected_by(entries)
    return [
        [
            e.pk,
            timezone.localdate(e.created_at),
            e.plan_id,
            # A collective approach's line: its name where a plan's case reference stands.
            e.plan.case.household.reference if e.plan_id else e.collective_approach.name,
            e.get_kind_display(),
            -e.amount if e.kind == LedgerEntry.Kind.REVERSAL else e.amount,
            e.payee if e.kind == LedgerEntry.Kind.PAYMENT else "",
            _("yes") if e.in_kind else "",
            e.refers_to_id,
            corrected.get(e.pk),
            e.note,
            e.paid_on,
            e.get_payee_kind_display(),
            e.created_by.get_full_name() or e.created_by.username,
        ]
        for e in entries
    ]


def _ledger_export(request, pk: int, kind: str) -> HttpResponse:
    """One budget's ledger as csv or xlsx, for whoever may open its page; audited."""
    budget = _budget_or_404(request.user, pk)
    name = f"grootboek-{budget.year}-{budget.pk}"
    columns, rows = _ledger_columns(), _ledger_rows(budget)
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv_export.writer(response, delimiter=";", decimal_comma=True)
        writer.writerow([c.header for c in columns])
        writer.writerows(
            [[v.strftime("%d-%m-%Y") if hasattr(v, "strftime") else v for v in row] for row in rows]
        )
    else:
        sheet = xlsx.Sheet(str(budget.year), columns, rows)
        response = HttpResponse(xlsx.workbook(sheet), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    audit.record(
        actor=request.user, action=audit.Action.EXPORT, obj=budget, reason=f"ledger ({kind})"
    )
    return response


@role_required(*BUDGET_ROLES)
def budget_csv(request, pk: int):
    return _ledger_export(request, pk, "csv")


@role_required(*BUDGET_ROLES)
def budget_xlsx(request, pk: int):
    return _ledger_export(request, pk, "xlsx")


def _ledger_done(action: str, entry: LedgerEntry) -> str:
    """The success message: what was recorded, how much, on which plan."""
    values = {"amount": money(entry.amount), "plan": entry.plan_id, "entry": entry.refers_to_id}
    if entry.plan_id is None:
        values["name"] = entry.collective_approach.name
        if action == "payment":
            return _("Payment of %(amount)s recorded on collective approach %(name)s.") % values
        if action == "release":
            return _("%(amount)s of collective approach %(name)s released to the budget.") % values
        return _("Entry #%(entry)s of collective approach %(name)s corrected.") % values
    if action == "payment":
        return _("Payment of %(amount)s recorded on plan %(plan)s.") % values
    if action == "release":
        return _("%(amount)s of plan %(plan)s released back to the budget.") % values
    return _("Entry #%(entry)s of plan %(plan)s corrected: %(amount)s reversed.") % values


# Refusals about the amount typed: shown at the amount field, not only above the form.
AMOUNT_CODES = ("decisions.overpaid", "decisions.over_released", "decisions.amount")


def _refused(form, error) -> None:
    """A service's refusal on a ledger form; one about the amount at the amount field."""
    if getattr(error, "code", None) in AMOUNT_CODES and "amount" in form.fields:
        form.add_error("amount", error.messages)
    else:
        to_form(form, error)


def _row_error_links(form, entry_pk) -> list[tuple[str, str, str]]:
    """The error summary of a ledger row's form: each message names its line ("Line #7") and
    links to the field in that row's open form (or to the row for a message about no field)."""
    links = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        shown = field is not None and name in ("amount", "payee", "payee_kind", "reason", "paid_on")
        where = _("Line #%(n)s") % {"n": entry_pk}
        if shown:
            where = f"{where}, {field.label}"
        anchor = f"{name}-{entry_pk}" if shown else f"entry-{entry_pk}"
        if name == "paid_on":
            anchor += "_0"  # the date's first box (day)
        links += [(anchor, where, message) for message in errors]
    return links


def _paid_on_field(form, entry: LedgerEntry, failed_entry):
    """The payment date of a ledger row's form (day, month, year), with what was typed and its
    error when this row's form came back; ids per row (paid_on-7_day) as the row's other inputs."""
    if form is not None and failed_entry == str(entry.pk):
        return form["paid_on"]
    return LedgerActionForm(auto_id=f"%s-{entry.pk}")["paid_on"]


@role_required(*BUDGET_ROLES)
def budget_detail(request, pk: int):
    """One budget's ledger (grootboek), with the movements that fit each entry."""
    budget = _budget_or_404(request.user, pk)
    entries = selectors.budget_entries(budget)
    actions = selectors.entry_actions(entries)
    form = None
    if request.method == "POST":
        # Ids as the row's own inputs (amount-7), so the error summary links to the field.
        row_ids = "%s-" + "".join(c for c in request.POST.get("entry", "") if c.isdigit())
        form = LedgerActionForm(request.POST, auto_id=row_ids)
        if form.is_valid():
            d = form.cleaned_data
            entry = next((e for e in entries if e.pk == d["entry"]), None)
            if entry is None:
                raise Http404
            try:
                done = services.ledger_action(
                    request.user, entry, d["action"], amount=d["amount"], payee=d["payee"],
                    payee_kind=d["payee_kind"] or LedgerEntry.PayeeKind.ORGANISATION,
                    in_kind=d["in_kind"], reason=d["reason"], paid_on=d["paid_on"],
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as e:
                _refused(form, e)
            else:
                messages.success(request, _ledger_done(d["action"], done))
                return redirect("decisions:budget", pk=budget.pk)
    else:
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=budget, reason="ledger")
    row = selectors.budget_rows([budget])[0]
    failed_entry = form.data.get("entry") if form is not None else None
    labels = dict(LedgerActionForm.ACTIONS)
    corrected = selectors.corrected_by(entries)
    rows = [
        (
            e,
            [(a, labels[a]) for a in actions.get(e.pk, [])],
            corrected.get(e.pk),
            _paid_on_field(form, e, failed_entry),
        )
        for e in entries
    ]
    context = {
        "budget": budget,
        "row": row,
        "rows": rows,
        "entries": entries,
        "open": selectors.open_amounts(budget, entries),
        "form": form,
        "failed_entry": failed_entry,
        "error_links": _row_error_links(form, failed_entry) if form is not None else [],
        "pending_plans": selectors.pending_plans(budget),
        "payee_kinds": LedgerEntry.PayeeKind.choices,
    }
    status = 400 if form is not None else 200
    return render(request, "decisions/budget_detail.html", context, status=status)


@role_required(*BUDGET_ROLES)
def pay_plan(request, pk: int):
    """Record a payment on an approved (or partly paid) plan, from the plan's page.

    The payment settles the plan's oldest commitment that still has something open; who may
    record it is the service's rule (the budget holder)."""
    plan = _team_plan_or_404(request.user, pk)
    position = selectors.plan_payment(plan)
    commitment = position.commitment
    if commitment is None:
        messages.info(request, _("Nothing of this plan is still open to pay."))
        return redirect("plans:detail", pk=plan.pk)
    if not selectors.manages_budget(request.user, commitment.budget):
        raise PermissionDenied(_("Only the team lead or manager of this budget may do this."))
    form = PaymentForm(request.POST or None, payee=commitment.payee or plan.payee)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.record_payment(
                request.user, commitment, d["amount"], payee=d["payee"],
                payee_kind=d["payee_kind"] or LedgerEntry.PayeeKind.ORGANISATION,
                in_kind=d["in_kind"], paid_on=d["paid_on"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as e:
            _refused(form, e)
        else:
            messages.success(request, _ledger_done("payment", entry))
            return redirect(reverse("plans:detail", args=[plan.pk]) + "#payment")
    context = {"plan": plan, "position": position, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/pay.html", context, status=status)
