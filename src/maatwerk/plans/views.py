from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.core.errors import to_form
from maatwerk.costs import calculations, charts, line_rows
from maatwerk.costs.calculations import FOR_PLAN_SESSION_KEY, MAX_LINES

from . import document, lifecycle, selectors, services, triangle
from .forms import (
    FREE_LINE,
    CloseForm,
    FromCalculatorForm,
    PlanCreateForm,
    PlanEditForms,
    calculator_sections,
)
from .messages import corner_views, part_views, solution_view
from .models import LineKind, Plan, Scenario


def _plan_or_404(user, pk: int) -> Plan:
    try:
        return selectors.plan_detail(user, pk)
    except Plan.DoesNotExist:
        raise Http404 from None


@role_required(*CASE_ROLES)
def plan_new(request, pk: int):
    """A new plan for one or more obstacles of case `pk`."""
    try:
        case = case_selectors.case_detail(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not case_selectors.may_write(request.user, case):
        raise PermissionDenied
    # "?knelpunt=<id>" (from the case page) preselects an obstacle.
    chosen = [v for v in request.GET.getlist("knelpunt") if v.isdigit()]
    drafts = selectors.drafts_by_case(request.user, [case.pk]).get(case.pk, [])
    form = PlanCreateForm(
        request.POST or None, case=case, drafts=drafts, initial={"obstacles": chosen}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        obstacles = data.pop("obstacles")
        try:
            plan = services.create_plan(request.user, case, obstacles, **data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The plan is created. Now complete the three tests."))
            return redirect("plans:edit", pk=plan.pk)
    if request.method == "GET":
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="new plan")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "plans/plan_new.html",
        {"case": case, "form": form, "drafts": drafts},
        status=status,
    )


def _open_writable_cases(user):
    """The open cases of the teams `user` writes in (cases selectors apply the access rules)."""
    return case_selectors.case_list(user, status=Case.Status.OPEN).filter(
        team_id__in=case_selectors.writable_team_ids(user)
    )


@role_required(Role.WORKER, Role.TEAM_LEAD)  # the roles that write plans
def plan_from_calculator(request):
    """The calculator's comparison becomes a draft plan of a case the worker chooses: its
    lines and terms go into both routes (``services.create_draft``), then the plan form opens."""
    comparison = request.session.get(FOR_PLAN_SESSION_KEY)
    if not comparison:
        messages.info(request, _("Make a comparison in the calculator first."))
        return redirect("costs:calculator")
    cases = _open_writable_cases(request.user)
    tailored = comparison.get("tailored") or [{}]
    form = FromCalculatorForm(
        request.POST or None,
        cases=cases,
        user=request.user,
        initial={"solution": tailored[0].get("label", "")},
    )
    if request.method == "POST" and form.is_valid():
        obstacle = form.cleaned_data["obstacle"]
        try:
            plan = services.create_draft(
                request.user,
                obstacle.case,
                [obstacle],
                solution={"solution": form.cleaned_data["solution"]},
                **calculator_sections(comparison),
            )
        except ValidationError as e:
            to_form(form, e)
        else:
            del request.session[FOR_PLAN_SESSION_KEY]
            messages.success(
                request, _("The plan is made from the calculator. Now complete the other parts.")
            )
            return redirect("plans:edit", pk=plan.pk)
    if request.method == "GET":
        audit.record_views(actor=request.user, objects=list(cases), reason="calculator to plan")
    context = {
        "form": form,
        "counts": {s: len(comparison.get(s, [])) for s in Scenario.values},
        "has_cases": form.fields["obstacle"].queryset.exists(),
        "drafts": form.drafts,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_from_calculator.html", context, status=status)


def document_context(user, plan: Plan) -> dict:
    """What the plan document shows (``plans/_document.html``): the three corners, the result
    with its chart and the trail. The plan page, the document, its PDF and the decision page
    (decisions) build on it; `plan` comes from ``selectors.with_details``."""
    tri, outcome, problems = selectors.assess(user, plan)
    provisions = list(plan.plan_provisions.all())
    return {
        "plan": plan,
        "case": plan.case,
        "obstacles": list(plan.obstacles.all()),
        "corners": corner_views(tri),
        "solution_part": solution_view(tri),
        "triangle_complete": tri.complete,
        "provisions": provisions,
        "suggested": [] if provisions else selectors.suggested_provisions(plan),
        "line_groups": selectors.line_groups(plan, outcome, user),
        "outcome": outcome,
        "chart": charts.cumulative_chart(outcome.result) if outcome else None,
        "problems": problems,
        "has_lines": bool(plan.lines.all()),
        "missing_route": _missing_route(
            {s: any(x.scenario == s for x in plan.lines.all()) for s in Scenario.values}
        ),
        "forgone_total": selectors.forgone_total(user, plan),
        "amount_check": amount_check(plan, selectors.budget_cost(user, plan)),
        "snapshot": plan.snapshots.first() if not plan.is_draft else None,
        "decision_trail": _trail(plan),
    }


def amount_check(plan: Plan, budget_cost, requested=None, reason=None) -> dict | None:
    """The amount requested beside what the tailored route costs the budget bearer (for
    plans/_amount_check.html); None while that cost is unknown."""
    if budget_cost is None:
        return None
    requested = plan.amount_requested if requested is None else requested
    return {
        "budget_cost": budget_cost,
        "differs": triangle.amount_differs(requested, budget_cost),
        "reason": plan.amount_reason if reason is None else reason,
    }


def _detail_context(request, plan: Plan, close_form=None) -> dict:
    plan_versions = selectors.versions(plan)
    return {
        **document_context(request.user, plan),
        "versions": plan_versions,
        **selectors.lifecycle_actions(request.user, plan, plan_versions),
        "close_form": close_form or CloseForm(),
    }


@role_required(*CASE_ROLES)
def plan_detail(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan)
    return render(request, "plans/plan_detail.html", _detail_context(request, plan))


def _editable(request, pk: int):
    """(plan, None) for a draft this user may edit, or (None, redirect) for a plan that is
    submitted, rejected or withdrawn: those are not edited in place."""
    plan = _plan_or_404(request.user, pk)
    if not case_selectors.may_write(request.user, plan.case):
        raise PermissionDenied
    if plan.is_draft:
        return plan, None
    if plan.status in lifecycle.REVISABLE:
        # A rejected or withdrawn plan is changed by revising it into a new version.
        messages.info(
            request,
            _('This plan is %(status)s: use "Revise the plan" to make a new version.')
            % {"status": plan.get_status_display()},
        )
    else:
        messages.info(request, _("A submitted plan can no longer be changed."))
    return None, redirect("plans:detail", pk=plan.pk)


def _edit_forms(plan: Plan, data, suggested) -> PlanEditForms:
    chosen = list(plan.plan_provisions.all())
    provision_initial = [
        {"provision": p.provision, "explanation": p.explanation} for p in chosen
    ] or [{"provision": p, "explanation": ""} for p in suggested]
    return PlanEditForms(plan, data, provision_initial=provision_initial)


@role_required(*CASE_ROLES)
def plan_edit(request, pk: int):
    """All sections of a draft plan in one form: solution, legitimacy, involvement, the two
    routes and their live result. Line buttons (add, remove, search) and "Recalculate" send the
    whole form back without saving; "Save" saves it through `services.save_draft`."""
    plan, refused = _editable(request, pk)
    if refused:
        return refused
    suggested = selectors.suggested_provisions(plan)
    if request.method != "POST":
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="edit")
        return _render_edit(request, plan, _edit_forms(plan, None, suggested), suggested)
    if "preview" in request.POST:
        # As the worker types: what each corner still misses and the result; nothing is saved
        # and nothing new is read, so no audit event either.
        bundle = _edit_forms(plan, request.POST, suggested)
        corners, outcome, problems = _live(request.user, bundle)
        context = {
            "live_corners": corners,
            "amount_check": bundle.amount_check,
            "formsets": list(bundle.lines.values()),  # each line's errors as they now stand
            **_result_context(outcome, problems, bundle),
        }
        return render(request, "plans/_live_triangle.html", context)
    action = line_rows.parse_action(request.POST, Scenario.values)
    data, found, focus_id = _apply_line_action(request, plan, action)
    provision_focus = _apply_provision_action(data)
    bundle = _edit_forms(plan, data, suggested)
    if provision_focus:
        focus_id = provision_focus
    if action or provision_focus or "recalculate" in request.POST:
        return _render_edit(
            request, plan, bundle, suggested, action=action, found=found, focus_id=focus_id
        )
    if bundle.is_valid():
        try:
            services.save_draft(request.user, plan, **bundle.sections())
        except ValidationError as e:
            to_form(bundle.solution, e)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("plans:detail", pk=plan.pk)
    return _render_edit(request, plan, bundle, suggested, error=True, status=400)


def _live(user, bundle: PlanEditForms):
    """(corners, outcome, problems) of the value triangle and the comparison as the form now
    stands, saved or not."""
    outcome, problems = None, []
    request_ = bundle.calculation_request()
    if request_ is not None:
        try:
            outcome = calculations.calculate(user, request_)
        except calculations.CalculationError as e:
            problems = [m for messages_ in e.errors.values() for m in messages_]
    budget_cost = bundle.budget_cost(user) if outcome is not None else None
    tri = triangle.assess(
        bundle.triangle_input(calculation_ok=outcome is not None, budget_cost=budget_cost)
    )
    solution = getattr(bundle.solution, "cleaned_data", {})
    bundle.amount_check = amount_check(
        bundle.plan,
        budget_cost,
        requested=solution.get("amount_requested") or Decimal(0),
        reason=solution.get("amount_reason", ""),
    )
    return part_views(tri), outcome, problems


def _result_context(outcome, problems, bundle: PlanEditForms) -> dict:
    """What the result panel (costs/_calculation_result.html) shows."""
    return {
        "outcome": outcome,
        "chart": charts.cumulative_chart(outcome.result) if outcome else None,
        "problems": problems,
        "line_errors": [],
        "has_lines": any(bundle.typed(s) for s in Scenario.values),
        "missing_route": _missing_route({s: bool(bundle.typed(s)) for s in Scenario.values}),
    }


def _missing_route(has: dict[str, bool]) -> str:
    """The route that still has no line while the other has one ("" otherwise): the result
    panel then asks for it instead of for corrections."""
    if has[Scenario.STANDARD] and not has[Scenario.TAILORED]:
        return Scenario.TAILORED
    if has[Scenario.TAILORED] and not has[Scenario.STANDARD]:
        return Scenario.STANDARD
    return ""


def _render_edit(
    request, plan, bundle, suggested, *, action=None, found=None, focus_id="", error=False,
    status=200,
):  # fmt: skip
    if bundle.is_bound:
        corners, outcome, problems = _live(request.user, bundle)
    else:  # the plan as stored, with the provisions as the form shows them (suggested ones
        # preselected while none is chosen), so the boxes agree with the form
        tri, outcome, problems = selectors.assess(
            request.user,
            selectors.plan_detail(request.user, plan.pk),
            provision_explanations=bundle.initial_provision_explanations(),
        )
        corners = part_views(tri)
        bundle.amount_check = amount_check(plan, selectors.budget_cost(request.user, plan))
    # After adding a line or provision, the focus goes to it.
    for formset in (bundle.provisions, *bundle.lines.values()):
        for form in formset:
            for name in ("label", "quantity", "provision"):
                if focus_id and name in form.fields and form[name].auto_id == focus_id:
                    form.fields[name].widget.attrs["autofocus"] = True
    queries = (action or {}).get("queries", {})
    context = {
        "plan": plan,
        "case": plan.case,
        "error_links": bundle.error_links() if error else [],
        "forms": bundle.forms,
        "provisions": bundle.provisions,
        "suggested": suggested,
        "suggested_ids": {p.pk for p in suggested},
        "scenarios": [
            {
                "key": s,
                "formset": bundle.lines[s],
                "rows": line_rows.with_items(
                    bundle.lines[s], line_rows.priced_for_forms(request.user, bundle.lines[s])
                ),
                "query": queries.get(s, "") if (found or {}).get(s) is not None else "",
                "found": (found or {}).get(s, []),
            }
            for s in Scenario.values
        ],
        "focus_id": focus_id,
        "error": error,
        "unsaved": bundle.is_bound,  # sent back unsaved: leaving the page asks first
        "live_corners": corners,
        "amount_check": bundle.amount_check,
        **_result_context(outcome, problems, bundle),
    }
    return render(request, "plans/plan_edit.html", context, status=status)


@require_POST
@role_required(*CASE_ROLES)
def plan_revise(request, pk: int):
    """A new draft version of a rejected or withdrawn plan; the worker continues editing it."""
    plan = _plan_or_404(request.user, pk)
    try:
        new = services.revise(request.user, plan)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("plans:detail", pk=plan.pk)
    messages.success(
        request,
        _(
            "Plan %(n)s (version %(v)s of plan %(first)s) is a new draft. Change what the "
            "decision asked for."
        )
        % {"n": new.pk, "v": new.version, "first": selectors.versions(new)[0].pk},
    )
    return redirect("plans:edit", pk=new.pk)


@require_POST
@role_required(*CASE_ROLES)
def plan_close(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    form = CloseForm(request.POST)
    # The service decides first who may close (403) and then checks the reason, so a refused
    # person learns nothing from a form error.
    try:
        services.close(request.user, plan, form.data.get("reason", "")[:2000])
    except ValidationError as e:
        form.is_valid()
        to_form(form, e)
    else:
        messages.success(request, _("The plan is closed."))
        return redirect("plans:detail", pk=plan.pk)
    context = _detail_context(request, selectors.plan_detail(request.user, pk), close_form=form)
    return render(request, "plans/plan_detail.html", context, status=400)


def _apply_line_action(request, plan: Plan, action: dict):
    """(form data, search results per scenario, id of the field to focus) after the pressed
    line button: a line added (empty, or from the catalogue), removed, or a search."""
    data = request.POST.copy()
    found: dict[str, list] = {}
    focus_id = ""
    for scenario in action.get("search", []):
        found[scenario] = line_rows.search(request.user, action["queries"][scenario])
        focus_id = f"q-{scenario}"
    if "add" in action:
        scenario, what = action["add"]
        row = _new_row(request.user, data, plan, what)
        if row is not None:
            index = _free_slot(data, scenario)
            for field, value in row.items():
                data[f"{scenario}-{index}-{field}"] = value
            focus_id = f"id_{scenario}-{index}-{'label' if what == 'free' else 'quantity'}"
    if "remove" in action:
        _remove_row(data, *action["remove"])
        # The removed line's button is gone: the focus goes to its route's "Add a line".
        focus_id = f"add-{action['remove'][0]}-free"
    return data, found, focus_id


PROVISION_FIELDS = ("provision", "explanation", "DELETE")


def _apply_provision_action(data) -> str:
    """Add an empty provision row or take one out of the posted data, as the pressed button
    asks ("add_provision", "remove_provision=<index>"); the id of the field to focus, or ""."""
    try:
        total = max(min(int(data.get("prov-TOTAL_FORMS", 0)), services.MAX_PROVISIONS), 0)
    except ValueError:
        total = 0
    if data.get("add_provision"):
        if total >= services.MAX_PROVISIONS:
            return "add-provision"
        data["prov-TOTAL_FORMS"] = str(total + 1)
        return f"id_prov-{total}-provision"
    index = data.get("remove_provision", "")
    if not index.isdigit():
        return ""
    rows = line_rows.posted_rows(data, "prov", PROVISION_FIELDS, limit=services.MAX_PROVISIONS)
    if int(index) < len(rows):
        del rows[int(index)]
        for i in range(len(rows) + 1):
            for field in PROVISION_FIELDS:
                data.pop(f"prov-{i}-{field}", None)
        for i, row in enumerate(rows):
            data.update({f"prov-{i}-{f}": v for f, v in row.items() if v})
        data["prov-TOTAL_FORMS"] = str(len(rows))
        initial = data.get("prov-INITIAL_FORMS", "0")
        if initial.isdigit() and int(index) < int(initial):
            data["prov-INITIAL_FORMS"] = str(int(initial) - 1)
    return "add-provision"  # the removed row's button is gone: continue at "Add a provision"


def _new_row(user, data, plan: Plan, what) -> dict | None:
    if what == "free":
        return dict(FREE_LINE)
    priced = line_rows.priced_item(user, what)
    if priced is None:
        return None
    try:
        horizon = int(data.get("terms-horizon_months", plan.horizon_months))
    except ValueError:
        horizon = plan.horizon_months
    return {**line_rows.catalogue_row(priced, horizon), "kind": LineKind.COST}


def _free_slot(data, scenario: str) -> int:
    """The index for a new line: the last line when it is still empty, otherwise a new one."""
    try:
        total = min(int(data.get(f"{scenario}-TOTAL_FORMS", 0)), MAX_LINES - 1)
    except ValueError:
        total = 0
    last = total - 1
    typed = ("item", "label", "amount")
    if last >= 0 and not any(data.get(f"{scenario}-{last}-{f}", "").strip() for f in typed):
        return last
    data[f"{scenario}-TOTAL_FORMS"] = str(total + 1)
    return total


def _remove_row(data, scenario: str, index: int) -> None:
    """Take line `index` out of the posted form data; the lines after it move up one."""
    rows = line_rows.posted_rows(data, scenario, FREE_LINE, limit=MAX_LINES)
    if index >= len(rows):
        return
    del rows[index]
    for i in range(len(rows) + 1):
        for field in FREE_LINE:
            data.pop(f"{scenario}-{i}-{field}", None)
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"{scenario}-{i}-{field}"] = value
    data[f"{scenario}-TOTAL_FORMS"] = str(len(rows))
    initial = data.get(f"{scenario}-INITIAL_FORMS", "0")
    if initial.isdigit() and index < int(initial):
        data[f"{scenario}-INITIAL_FORMS"] = str(int(initial) - 1)


def _document_context(request, plan: Plan) -> dict:
    """The plan page's context plus the document's own header and colophon: the organisation
    (name and logo, a neutral mark without one) and the day it was made."""
    organisation = plan.case.team.organisation
    return {
        **_detail_context(request, plan),
        "organisation": organisation,
        "logo": document.logo_data_uri(organisation),
        "printed_on": timezone.localdate(),
    }


def _trail(plan: Plan) -> list[tuple[str, object, object]]:
    trail = [(_("Created"), plan.created_at, plan.author)]
    if plan.submitted_at:
        trail.append((_("Submitted"), plan.submitted_at, plan.submitted_by))
    if plan.closed_at:
        trail.append((_("Closed"), plan.closed_at, plan.closed_by))
    return trail


@role_required(*CASE_ROLES)
def plan_document(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="plan document")
    return render(request, "plans/document.html", _document_context(request, plan))


@role_required(*CASE_ROLES)
def plan_document_pdf(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    pdf = document.render_pdf(_document_context(request, plan), request)
    audit.record(actor=request.user, action=audit.Action.EXPORT, obj=plan, reason="plan PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="maatwerkplan-{plan.pk}.pdf"'
    return response


def _structure_messages(done: services.StructureAdded) -> list[tuple[int, str]]:
    """What copying a structure did, in words: (message level, text)."""
    said = []
    if done.anything:
        parts = []
        if done.provisions:
            parts.append(
                ngettext("%(n)s provision", "%(n)s provisions", len(done.provisions))
                % {"n": len(done.provisions)}
            )
        if done.lines:
            parts.append(
                ngettext("%(n)s cost line", "%(n)s cost lines", done.lines) % {"n": done.lines}
            )
        what = (
            _("%(first)s and %(last)s") % {"first": parts[0], "last": parts[1]}
            if len(parts) == 2
            else parts[0]
        )
        text = _("Copied into the plan: %(what)s. Your changes are saved too.") % {"what": what}
        # Name what was added, so the worker knows what to look for further down the form.
        if done.provisions:
            text += " " + _("New in part 2, the legal basis: %(list)s.") % {
                "list": "; ".join(str(p) for p in done.provisions)
            }
        if done.line_names:
            text += " " + _("New in part 4, the two routes: %(list)s.") % {
                "list": "; ".join(
                    f"{name} ({Scenario(route).label})" if name else str(Scenario(route).label)
                    for route, name in done.line_names
                )
            }
        if done.provisions:
            text += " " + _("Write why each new provision gives room here.")
        if done.lines:
            text += " " + _("Check the amounts of the new cost lines.")
        said.append((messages.SUCCESS, text))
    present = done.provisions_present + done.lines_present
    if present:
        said.append(
            (
                messages.INFO,
                ngettext(
                    "%(n)s part of the example was already in the plan and was not copied again.",
                    "%(n)s parts of the example were already in the plan and were not copied "
                    "again.",
                    present,
                )
                % {"n": present},
            )
        )
    if done.lines_unavailable:
        said.append(
            (
                messages.WARNING,
                ngettext(
                    "%(n)s cost line names a catalogue item your organisation does not use: "
                    "it was not copied.",
                    "%(n)s cost lines name a catalogue item your organisation does not use: "
                    "they were not copied.",
                    done.lines_unavailable,
                )
                % {"n": done.lines_unavailable},
            )
        )
    if not said:
        said.append((messages.INFO, _("The example has no provisions or cost lines to copy.")))
    return said


def save_and_copy(request, pk: int, copy) -> HttpResponse:
    """ "Copy the structure" pressed on the plan form (for the apps above plans that hold a
    structure, such as the library): the form's unsaved content comes along in the same POST,
    is saved and the structure added in one transaction by `copy(plan, **sections)` (which
    calls `services.add_structure`). A form with errors saves nothing and copies nothing: it
    comes back with its errors and the worker's content. Without the form's content (a bare
    POST) only the structure is added."""
    plan, refused = _editable(request, pk)
    if refused:
        return refused
    sections = {}
    bundle = None
    if "prov-TOTAL_FORMS" in request.POST:
        suggested = selectors.suggested_provisions(plan)
        bundle = _edit_forms(plan, request.POST, suggested)
        if not bundle.is_valid():
            messages.error(
                request,
                _("Nothing is saved or copied yet: correct the marked fields, then copy again."),
            )
            return _render_edit(request, plan, bundle, suggested, error=True, status=400)
        sections = bundle.sections()
    try:
        done = copy(plan, **sections)
    except ValidationError as e:
        if bundle is None:
            messages.error(request, " ".join(e.messages))
            return redirect(reverse("plans:edit", args=[plan.pk]) + "#messages")
        to_form(bundle.solution, e)
        suggested = selectors.suggested_provisions(plan)
        return _render_edit(request, plan, bundle, suggested, error=True, status=400)
    for level, text in _structure_messages(done):
        messages.add_message(request, level, text)
    # To the messages at the top, which take the focus (base.html, app.js): the worker reads
    # what was added and where first, and then goes there; a jump to a part of the form would
    # hide the message above the fold and leave the focus at the top of the page.
    return redirect(reverse("plans:edit", args=[plan.pk]) + "#messages")
