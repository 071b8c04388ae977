from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.costs import calculations, charts, line_rows
from maatwerk.costs import selectors as cost_selectors
from maatwerk.costs.calculations import MAX_LINES

from . import document, lifecycle, selectors, services, triangle
from .forms import (
    CloseForm,
    InvolvementForm,
    PlanCreateForm,
    PlanLineFormSet,
    ProvisionFormSet,
    SolutionForm,
    TermsForm,
)
from .messages import corner_views
from .models import Plan, Scenario

LINE_FIELDS = [
    "kind", "label", "amount", "unit", "bearer", "cost_type", "quantity", "start_month",
    "duration_months",
]  # fmt: skip


def _plan_or_404(user, pk: int) -> Plan:
    try:
        return selectors.plan_detail(user, pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
    form = PlanCreateForm(request.POST or None, case=case, initial={"obstacles": chosen})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        obstacles = data.pop("obstacles")
        try:
            plan = services.create_plan(request.user, case, obstacles, **data)
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, _("The plan is created. Now complete the value triangle."))
            return redirect("plans:edit", pk=plan.pk)
    if request.method == "GET":
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="new plan")
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_new.html", {"case": case, "form": form}, status=status)


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
        "triangle_complete": tri.complete,
        "provisions": provisions,
        "suggested": [] if provisions else selectors.suggested_provisions(plan),
        "line_groups": [(s, selectors.lines_of(plan, s)) for s in Scenario.values],
        "outcome": outcome,
        "chart": charts.cumulative_chart(outcome.result) if outcome else None,
        "problems": problems,
        "has_lines": bool(plan.lines.all()),
        "forgone_total": selectors.forgone_total(user, plan),
        "snapshot": plan.snapshots.first() if not plan.is_draft else None,
        "decision_trail": _trail(plan),
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


def _line_initial(line) -> dict:
    return {
        "item": line.cost_item_id,
        **{f: getattr(line, f) for f in LINE_FIELDS},
        "probability": line.probability * 100,
    }


def _line_values(form) -> dict:
    d = form.cleaned_data
    return {
        "cost_item_id": d.get("item"),
        "kind": d.get("kind") or "cost",
        "label": d.get("label", ""),
        "amount": d.get("amount"),
        "unit": d.get("unit", ""),
        "bearer": d.get("bearer", ""),
        "cost_type": d.get("cost_type", ""),
        "quantity": d["quantity"],
        "start_month": d["start_month"],
        "duration_months": d.get("duration_months"),
        "probability": d["probability"] / 100,
    }


@role_required(*CASE_ROLES)
def plan_edit(request, pk: int):
    """All sections of a draft plan in one form: solution, legitimacy, involvement, return."""
    plan = _plan_or_404(request.user, pk)
    if not case_selectors.may_write(request.user, plan.case):
        raise PermissionDenied
    if not plan.is_draft:
        if plan.status in lifecycle.REVISABLE:
            # A rejected or withdrawn plan is changed by revising it into a new version.
            messages.info(
                request,
                _('This plan is %(status)s: use "Revise the plan" to make a new version.')
                % {"status": plan.get_status_display()},
            )
        else:
            messages.info(request, _("A submitted plan can no longer be changed."))
        return redirect("plans:detail", pk=plan.pk)
    suggested = selectors.suggested_provisions(plan)
    chosen = list(plan.plan_provisions.all())
    provision_initial = [
        {"provision": p.provision, "explanation": p.explanation} for p in chosen
    ] or [{"provision": p, "explanation": ""} for p in suggested]
    data = request.POST or None
    action = _line_action(request) if request.method == "POST" else None
    found: dict[str, list] = {}
    focus_id = ""
    if action:
        data, found, focus_id = _apply_line_action(request, plan, action)
    forms_ = {
        "solution": SolutionForm(data, instance=plan, prefix="sol"),
        "involvement": InvolvementForm(data, instance=plan, prefix="inv"),
        "terms": TermsForm(
            data,
            prefix="terms",
            initial={
                "horizon_months": plan.horizon_months,
                "discount_rate": plan.discount_rate * 100,
                "price_year": plan.price_year,
            },
        ),
    }
    provisions = ProvisionFormSet(data, prefix="prov", initial=provision_initial)
    lines = {
        s: PlanLineFormSet(
            data, prefix=s, initial=[_line_initial(x) for x in selectors.lines_of(plan, s)]
        )
        for s in Scenario.values
    }
    if request.method == "POST" and "preview" in request.POST:
        # The edit page asks, as the worker types, what each corner still misses: nothing is
        # saved and nothing new is read, so no audit event either.
        live = _live_corners(request.user, plan, forms_, provisions, lines)
        return render(request, "plans/_live_triangle.html", {"live_corners": live})
    for formset in lines.values():  # after adding a catalogue line, the focus goes to it
        for form in formset:
            if focus_id and form["quantity"].auto_id == focus_id:
                form.fields["quantity"].widget.attrs["autofocus"] = True
    if request.method == "POST" and not action:
        valid = all(f.is_valid() for f in forms_.values())
        valid = provisions.is_valid() and valid
        valid = all(fs.is_valid() for fs in lines.values()) and valid
        if valid:
            try:
                _save_all(request.user, plan, forms_, provisions, lines)
            except ValidationError as e:
                _apply_errors(forms_["solution"], e)
            else:
                messages.success(request, _("The plan is saved."))
                return redirect("plans:detail", pk=plan.pk)
    else:
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=plan, reason="edit")
    context = {
        "plan": plan,
        "case": plan.case,
        "error_links": (
            _error_links(forms_, provisions, lines)
            if request.method == "POST" and not action
            else []
        ),
        "forms": forms_,
        "provisions": provisions,
        "suggested": suggested,
        "suggested_ids": {p.pk for p in suggested},
        "scenarios": [
            {
                "key": s,
                "formset": lines[s],
                "rows": _line_rows(request.user, lines[s]),
                "query": (action or {}).get("queries", {}).get(s, ""),
                "found": found.get(s, []),
            }
            for s in Scenario.values
        ],
        "focus_id": focus_id,
        "error": request.method == "POST" and not action,
        "live_corners": (
            _live_corners(request.user, plan, forms_, provisions, lines)
            if data is not None
            else _stored_corners(request.user, plan)
        ),
    }
    status = 400 if request.method == "POST" and not action else 200
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
        _("Version %(n)s of the plan is a new draft. Change what the decision asked for.")
        % {"n": new.version},
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
        _apply_errors(form, e)
    else:
        messages.success(request, _("The plan is closed."))
        return redirect("plans:detail", pk=plan.pk)
    context = _detail_context(request, selectors.plan_detail(request.user, pk), close_form=form)
    return render(request, "plans/plan_detail.html", context, status=400)


def _stored_corners(user, plan: Plan) -> dict[str, dict]:
    tri, _outcome, _problems = selectors.assess(user, selectors.plan_detail(user, plan.pk))
    return {c["name"]: c for c in corner_views(tri)}


def _live_corners(user, plan: Plan, forms_, provisions, lines) -> dict[str, dict]:
    """{corner: view} of the value triangle as the form now stands, saved or not."""
    for form in (*forms_.values(), provisions, *lines.values()):
        form.is_valid()  # fills cleaned_data with the fields that are valid
    explanations = tuple(
        (f.cleaned_data.get("explanation") or "")
        for f in provisions
        if getattr(f, "cleaned_data", None)
        and f.cleaned_data.get("provision")
        and not f.cleaned_data.get("DELETE")
    )
    inv = getattr(forms_["involvement"], "cleaned_data", {})
    counts, requests, all_valid = {}, {}, True
    for key, formset in lines.items():
        filled = [f for f in formset if f.has_changed() or f.initial]
        filled = [f for f in filled if not (f.is_valid() and f.cleaned_data.get("DELETE"))]
        counts[key] = len(filled)
        all_valid = all_valid and all(f.is_valid() for f in filled)
        requests[key] = [f for f in filled if f.is_valid() and "quantity" in f.cleaned_data]
    terms = getattr(forms_["terms"], "cleaned_data", {})
    calculation_ok = False
    if all_valid and counts["standard"] and counts["tailored"] and forms_["terms"].is_valid():
        try:
            calculations.calculate(
                user,
                calculations.CalculationRequest(
                    standard=tuple(_line_request(f) for f in requests["standard"]),
                    tailored=tuple(_line_request(f) for f in requests["tailored"]),
                    horizon_months=terms["horizon_months"],
                    discount_rate=(terms["discount_rate"] / 100).quantize(Decimal("0.0001")),
                    price_year=terms.get("price_year") or plan.price_year,
                ),
            )
            calculation_ok = True
        except calculations.CalculationError:
            calculation_ok = False
    tailored = requests["tailored"]
    tri = triangle.assess(
        triangle.TriangleInput(
            provision_explanations=explanations,
            goal=plan.case.goal,
            resident_words=inv.get("resident_words", ""),
            agreement=inv.get("agreement", ""),
            agreement_date=inv.get("agreement_date"),
            agreement_how=inv.get("agreement_how", ""),
            standard_lines=counts["standard"],
            tailored_lines=counts["tailored"],
            calculation_ok=calculation_ok,
            tailored_forgone_only=bool(tailored)
            and len(tailored) == counts["tailored"]
            and all(f.cleaned_data.get("kind") == "forgone_income" for f in tailored),
            amount_requested=getattr(forms_["solution"], "cleaned_data", {}).get(
                "amount_requested"
            ),
        )
    )
    return {c["name"]: c for c in corner_views(tri)}


def _line_request(form) -> calculations.LineRequest:
    v = _line_values(form)
    return calculations.LineRequest(
        item_id=v["cost_item_id"],
        label=v["label"],
        amount=v["amount"],
        unit=v["unit"] or None,
        bearer=v["bearer"] or None,
        cost_type=v["cost_type"] or None,
        quantity=v["quantity"],
        start_month=v["start_month"],
        duration_months=v["duration_months"],
        probability=v["probability"],
    )


def _line_action(request) -> dict | None:
    """A catalogue search or an added catalogue line, asked for on the edit page.

    Without JavaScript these come as plain submits of the whole form (the "Search" button, or a
    result's "Add" button), so everything typed is kept and nothing is saved yet. Enter in a
    search box sends the form through its default button: with a search text, that is a search
    too, not a save.
    """
    post = request.POST
    queries = {s: post.get(f"q_{s}", "").strip()[:100] for s in Scenario.values}
    if add := post.get("add_line", ""):
        scenario, _sep, what = add.partition(":")
        if scenario in Scenario.values and what.startswith("item:") and what[5:].isdigit():
            return {"add": (scenario, int(what[5:])), "queries": {}}
    if (scenario := post.get("search_in", "")) in Scenario.values:
        return {"search": [scenario], "queries": queries}
    if "save" not in post and any(queries.values()):
        return {"search": [s for s, q in queries.items() if q], "queries": queries}
    return None


def _apply_line_action(request, plan: Plan, action: dict):
    """(form data, search results per scenario, id of the field to focus) for a line action."""
    data = request.POST.copy()
    found: dict[str, list] = {}
    focus_id = ""
    for scenario in action.get("search", []):
        text = action["queries"][scenario]
        found[scenario] = cost_selectors.catalogue(request.user, text=text)[:8] if text else []
        focus_id = f"q-{scenario}"
    if "add" in action:
        scenario, item_id = action["add"]
        priced = cost_selectors.priced(cost_selectors.items_for(request.user).filter(pk=item_id))
        if priced:
            index = _free_slot(data, scenario)
            try:
                horizon = int(data.get("terms-horizon_months", plan.horizon_months))
            except ValueError:
                horizon = plan.horizon_months
            row = line_rows.catalogue_row(priced[0], horizon)
            for field, value in row.items():
                data[f"{scenario}-{index}-{field}"] = value
            focus_id = f"id_{scenario}-{index}-quantity"
    return data, found, focus_id


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


def _line_rows(user, formset) -> list[tuple]:
    return line_rows.with_items(formset, line_rows.priced_for_forms(user, formset))


def _error_links(forms_, provisions, lines) -> list[tuple[str, str, str]]:
    """(anchor, where, message) for every error on the edit page, for the summary at the top:
    each links to its field, so a keyboard user gets there in one step."""
    links: list[tuple[str, str, str]] = []

    def add(form, where: str = "") -> None:
        for e in form.non_field_errors():
            first = next(iter(form.visible_fields()), None)
            links.append((first.id_for_label if first else "", where, e))
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bound = form[name]
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            label = f"{where} – {bound.label}" if where else str(bound.label)
            for e in errors:
                links.append((anchor, label, e))

    for form in forms_.values():
        add(form)
    for n, form in enumerate(provisions, start=1):
        add(form, _("Provision %(n)s") % {"n": n})
    for key, formset in lines.items():
        for n, form in enumerate(formset, start=1):
            where = (
                _("Standard route, line %(n)s")
                if key == "standard"
                else _("Tailored route, line %(n)s")
            )
            add(form, where % {"n": n})
    for formset in (provisions, *lines.values()):
        for e in formset.non_form_errors():
            links.append(("", "", e))
    return links


@transaction.atomic
def _save_all(actor, plan, forms_, provisions, lines) -> None:
    solution = {f: forms_["solution"].cleaned_data[f] for f in services.SOLUTION_FIELDS}
    services.update_solution(actor, plan, **solution)
    involvement = {f: forms_["involvement"].cleaned_data[f] for f in services.AGREEMENT_FIELDS}
    services.record_agreement(actor, plan, **involvement)
    chosen = [
        (f.cleaned_data["provision"], f.cleaned_data.get("explanation", ""))
        for f in provisions
        if f.cleaned_data.get("provision") and not f.cleaned_data.get("DELETE")
    ]
    services.set_provisions(actor, plan, chosen)
    terms = forms_["terms"].cleaned_data
    services.set_scenarios(
        actor,
        plan,
        standard=[_line_values(f) for f in _rows(lines["standard"])],
        tailored=[_line_values(f) for f in _rows(lines["tailored"])],
        horizon_months=terms["horizon_months"],
        discount_rate=(terms["discount_rate"] / 100).quantize(Decimal("0.0001")),
        price_year=terms.get("price_year"),
    )


def _rows(formset) -> list:
    """The filled-in, not deleted line forms (an untouched blank extra line is skipped)."""
    return [
        f
        for f in formset
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and "quantity" in f.cleaned_data
    ]


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


@role_required(Role.TEAM_LEAD)
def to_decide(request):
    plans = list(selectors.to_decide(request.user))
    audit.record_views(actor=request.user, objects=plans, reason="plans to decide")
    return render(request, "plans/to_decide.html", {"plans": plans})
