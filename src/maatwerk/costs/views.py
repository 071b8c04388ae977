import hashlib
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import admin_organisation_id, has_role
from maatwerk.core.errors import to_form
from maatwerk.core.numbers import fraction_to_percent

from . import calculations, charts, line_rows, selectors, services
from .forms import CalculatorForm, CatalogueFilterForm, LocalItemForm, PriceForm, bind_rows
from .models import CostItem


def _own_organisation_id(user) -> int:
    organisation_id = admin_organisation_id(user)
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


@login_required
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    year = timezone.localdate().year
    # The catalogue is the same for everyone in an organisation and changes rarely: its
    # rendered parts are cached under a stamp of its state (see selectors.catalogue_stamp).
    key = (
        "costs:catalogue:"
        + hashlib.sha256(
            repr(
                (selectors.catalogue_stamp(request.user), year, get_language(), sorted(f.items()))
            ).encode()
        ).hexdigest()
    )
    parts = cache.get(key)
    if parts is None:
        parts = _catalogue_parts(request, f, year)
        cache.set(key, parts, CATALOGUE_CACHE_SECONDS)
    intro, rows = parts
    return render(
        request,
        "costs/catalogue.html",
        {
            "form": form,
            "intro": intro,
            "rows": rows,
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


CATALOGUE_CACHE_SECONDS = 3600


def _catalogue_parts(request, f: dict, year: int) -> tuple[str, str]:
    changes = selectors.price_changes()  # read once: the rows, the whole catalogue and the intro
    rows = selectors.catalogue(
        request.user,
        text=f.get("q", ""),
        life_domain=f.get("life_domain", ""),
        bearer=f.get("bearer", ""),
        cost_type=f.get("cost_type", ""),
        grade=f.get("grade", ""),
        year=year,
        changes=changes,
    )
    all_rows = (
        rows
        if not any(f.values())
        else selectors.catalogue(request.user, year=year, changes=changes)
    )
    context = {
        "rows": rows,
        "searched": bool(f.get("q")),
        "year": year,
        # The year the CBS index reaches: older prices are indexed up to it; a price from a
        # later year (a 2025 tariff while the index stops at 2024) stays at its own year.
        "index_year": min(year, max(changes, default=year)),
        "comparison": selectors.year_comparison(all_rows),
    }
    return (
        mark_safe(render_to_string("costs/_catalogue_intro.html", context)),  # noqa: S308 -- our template output
        mark_safe(render_to_string("costs/_catalogue_rows.html", context)),  # noqa: S308
    )


def _item_or_404(user, pk) -> CostItem:
    try:
        return selectors.item_detail(user, pk)
    except CostItem.DoesNotExist:
        raise Http404 from None


@login_required
def item_detail(request, pk: int):
    item = _item_or_404(request.user, pk)
    row = selectors.priced([item])
    return render(
        request,
        "costs/item_detail.html",
        {
            "item": item,
            "row": row[0] if row else None,
            "versions": item.visible_versions,
            "is_admin": has_role(request.user, Role.ADMIN),
            "price_form": PriceForm(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def add_price(request, pk: int):
    item = _item_or_404(request.user, pk)
    form = PriceForm(request.POST)
    if form.is_valid():
        try:
            services.add_local_price(
                actor=request.user,
                item=item,
                organisation_id=_own_organisation_id(request.user),
                **form.cleaned_data,
            )
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The new local price is published."))
            return redirect("costs:item", pk=item.pk)
    return render(
        request,
        "costs/item_detail.html",
        {
            "item": item,
            "row": (selectors.priced([item]) or [None])[0],
            "versions": item.visible_versions,
            "is_admin": True,
            "price_form": form,
        },
        status=400,
    )


@role_required(Role.ADMIN)
def new_item(request):
    item_form = LocalItemForm(request.POST or None)
    price_form = PriceForm(request.POST or None)
    if request.method == "POST" and item_form.is_valid() and price_form.is_valid():
        try:
            item = services.add_local_item(
                actor=request.user,
                organisation_id=_own_organisation_id(request.user),
                **item_form.cleaned_data,
                **price_form.cleaned_data,
            )
        except ValidationError as e:
            to_form(item_form, e)
        else:
            messages.success(request, _("The local cost item is added."))
            return redirect("costs:item", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "costs/new_item.html",
        {"item_form": item_form, "price_form": price_form},
        status=status,
    )


@require_POST
@role_required(Role.ADMIN)
def retire(request, pk: int):
    item = _item_or_404(request.user, pk)
    services.retire_item(
        actor=request.user, item=item, organisation_id=_own_organisation_id(request.user)
    )
    messages.success(request, _("The item is retired for your organisation."))
    return redirect("costs:catalogue")


# --- Calculator: compose both routes from the catalogue and compare them --------------------

LINE_FIELDS = [
    "item", "label", "amount", "unit", "bearer", "cost_type", "quantity", "start_month",
    "duration_months", "probability",
]  # fmt: skip


FREE_ROW = {
    "item": "", "label": "", "amount": "", "unit": "per_event", "bearer": "municipality",
    "cost_type": "fiscal", "quantity": "1", "start_month": "0", "duration_months": "",
    "probability": "100",
}  # fmt: skip


def _example(user, horizon: int) -> dict[str, list[dict[str, str]]]:
    """Childcare paid once so a mother keeps her job, against a year of social assistance."""
    benefit = selectors.priced(selectors.items_for(user).filter(code="PW-NORM-1P"))
    standard = [line_rows.catalogue_row(benefit[0], horizon)] if benefit else []
    tailored = [
        {**FREE_ROW, "label": _("Pay the childcare so she keeps her job"), "amount": "6500"}
    ]
    return {"standard": standard, "tailored": tailored}


def _apply_action(request, rows: dict, horizon: int) -> tuple[str, str]:
    """Add or remove a line as the pressed button asks (`add_line=standard:item:12`, …).
    Returns the id of the field that gets the focus (the new line's first field, or after a
    removal its route's "Add a line of your own") and the route whose search is done with
    (a result that was added), or ""."""
    action = line_rows.parse_action(request.POST, calculations.SCENARIOS)
    focus_id, searched = "", ""
    scenario, what = action.get("add", (None, None))
    if scenario and len(rows[scenario]) < calculations.MAX_LINES:
        index = len(rows[scenario])
        if what == "free":
            rows[scenario].append(dict(FREE_ROW))
            focus_id = f"id_{scenario}-{index}-label"
        elif (found := line_rows.priced_item(request.user, what)) is not None:
            rows[scenario].append(line_rows.catalogue_row(found, horizon))
            # The result is added: its search and results go, so pressing Enter again (or
            # holding it) cannot add it a second time; the focus goes to the new line.
            focus_id, searched = f"id_{scenario}-{index}-amount", scenario
    scenario, index = action.get("remove", (None, None))
    if scenario and index < len(rows[scenario]):
        del rows[scenario][index]
        focus_id = f"add-{scenario}-free"
    return focus_id, searched


# The calculator as last left (terms as typed, raw lines), so that the browser's Back button, or
# coming back later in the session, finds the comparison again; "?leeg=1" starts empty.
STATE_SESSION_KEY = "costs:calculator_state"
TERM_FIELDS = ("horizon_months", "discount_rate", "price_year")


def _calculator_input(request, year: int) -> tuple[CalculatorForm, dict, str, str]:
    """The terms form and the raw lines per route: as posted (after the pressed line button),
    the worked example, as last left in this session, or empty; with the focus and the route
    whose search is done (see `_apply_action`)."""
    if request.method == "POST":
        form = CalculatorForm(request.POST)
        horizon = form.cleaned_data["horizon_months"] if form.is_valid() else 12
        rows = {
            s: line_rows.posted_rows(request.POST, s, LINE_FIELDS, limit=calculations.MAX_LINES)
            for s in calculations.SCENARIOS
        }
        focus_id, searched = _apply_action(request, rows, horizon)
        request.session[STATE_SESSION_KEY] = {
            "terms": {f: str(request.POST.get(f, ""))[:20] for f in TERM_FIELDS},
            **rows,
        }
        return form, rows, focus_id, searched
    saved = request.session.get(calculations.FOR_PLAN_SESSION_KEY)
    if request.GET.get("terug") and saved:  # back from "Make a plan of this": as it was left
        percent = fraction_to_percent(Decimal(saved["discount_rate"]))
        terms = {
            "horizon_months": str(saved["horizon_months"]),
            "discount_rate": format(percent.normalize(), "f").replace(".", ","),
            "price_year": str(saved["price_year"]),
        }
        rows = {s: saved.get(s, []) for s in calculations.SCENARIOS}
        return CalculatorForm(data=terms), rows, "", ""
    if request.GET.get("voorbeeld") == "kinderopvang":
        terms = {"horizon_months": "12", "discount_rate": "0", "price_year": str(year)}
        rows = _example(request.user, 12)
        # Kept like a typed comparison: going away and back finds the example again.
        request.session[STATE_SESSION_KEY] = {"terms": terms, **rows}
        return CalculatorForm(data=terms), rows, "", ""
    if request.GET.get("leeg"):
        request.session.pop(STATE_SESSION_KEY, None)
    elif state := request.session.get(STATE_SESSION_KEY):  # Back, or the menu: as last left
        rows = {s: list(state.get(s, []))[: calculations.MAX_LINES] for s in calculations.SCENARIOS}
        if any(rows.values()):
            return CalculatorForm(data=state.get("terms", {})), rows, "", ""
    form = CalculatorForm(initial={"price_year": year, "horizon_months": 12})
    return form, {s: [] for s in calculations.SCENARIOS}, "", ""


def _compare(user, form, formsets, priced) -> tuple:
    """(outcome, problems) of the comparison; (None, []) while the input is not complete."""
    ready = form.is_bound and form.is_valid() and all(f.is_valid() for f in formsets.values())
    # Both routes need a line: a comparison with one empty route only says that nothing is
    # cheaper than something (the result box asks for the missing route instead).
    if not (ready and all(f.total_form_count() for f in formsets.values())):
        return None, []
    try:
        outcome = calculations.calculate(
            user,
            calculations.CalculationRequest(
                standard=tuple(line_request(f) for f in formsets["standard"]),
                tailored=tuple(line_request(f) for f in formsets["tailored"]),
                horizon_months=form.cleaned_data["horizon_months"],
                discount_rate=form.cleaned_data["discount_rate"],
                price_year=form.cleaned_data["price_year"],
            ),
            priced=priced,  # the same rows the page shows, priced once
        )
    except calculations.CalculationError as e:
        return None, [m for messages_ in e.errors.values() for m in messages_]
    return outcome, []


def _line_errors(formsets) -> list[str]:
    """One sentence per line with errors: route, line number, what is wrong."""
    return [
        _("%(route)s, line %(n)s: %(error)s")
        % {
            "route": ROUTE_NAMES[s](),
            "n": i + 1,
            "error": " ".join(e for es in errs.values() for e in es),
        }
        for s, formset in formsets.items()
        for i, errs in enumerate(formset.errors if formset.is_bound else [])
        if errs
    ]


@login_required
def calculator(request):
    """Both routes side by side with their result; "Make a plan of this" hands the comparison
    to the plans app (through the session) to become a draft plan of a chosen case."""
    year = timezone.localdate().year
    form, rows, focus_id, searched = _calculator_input(request, year)
    formsets = {s: bind_rows(rows[s], s) for s in calculations.SCENARIOS}
    for formset in formsets.values():  # after adding a line, the focus goes to it
        for line in formset:
            for name in ("label", "amount"):
                if focus_id and line[name].auto_id == focus_id:
                    line.fields[name].widget.attrs["autofocus"] = True
    price_year = form.cleaned_data["price_year"] if form.is_bound and form.is_valid() else year
    priced = line_rows.priced_for_forms(
        request.user, [f for fs in formsets.values() for f in fs], year=price_year
    )
    outcome, problems = _compare(request.user, form, formsets, priced)
    if outcome is not None and "make_plan" in request.POST and calculations.MAKE_PLAN_URL_NAME:
        request.session[calculations.FOR_PLAN_SESSION_KEY] = {
            **{s: rows[s] for s in calculations.SCENARIOS},
            "horizon_months": form.cleaned_data["horizon_months"],
            "discount_rate": str(form.cleaned_data["discount_rate"]),
            "price_year": form.cleaned_data["price_year"],
        }
        target = reverse(calculations.MAKE_PLAN_URL_NAME)
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": target})
        return redirect(target)
    searches = {
        s: "" if s == searched else request.POST.get(f"q_{s}", "") for s in calculations.SCENARIOS
    }
    context = {
        "form": form,
        # Only someone who writes plans gets "Make a plan of this".
        "may_make_plan": bool(calculations.MAKE_PLAN_URL_NAME)
        and has_role(request.user, Role.WORKER, Role.TEAM_LEAD),
        "scenarios": [
            {
                "key": s,
                "formset": formsets[s],
                "lines": line_rows.with_items(formsets[s], priced),
                "query": searches[s],
                "found": line_rows.search(request.user, searches[s]),
            }
            for s in calculations.SCENARIOS
        ],
        "outcome": outcome,
        "chart": charts.cumulative_chart(outcome.result) if outcome else None,
        "problems": problems,
        "line_errors": _line_errors(formsets),
        "has_lines": any(rows.values()),
        "missing_route": _missing_route(rows),
        "make_plan_refused": "make_plan" in request.POST,
        "focus_id": focus_id,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    response = render(request, "costs/calculator.html", context, status=status)
    if request.method == "POST" and request.headers.get("HX-Request"):
        # The address no longer says "example": Back to it finds the comparison as left.
        response["HX-Replace-Url"] = reverse("costs:calculator")
    return response


def _missing_route(rows: dict) -> str:
    """The route without lines while the other has some, or ""."""
    empty = [s for s in calculations.SCENARIOS if not rows[s]]
    return empty[0] if len(empty) == 1 else ""


ROUTE_NAMES = {
    "standard": lambda: _("Standard route"),
    "tailored": lambda: _("Tailored route"),
}


def line_request(form) -> calculations.LineRequest:
    """A valid line form of the calculator as the calculation takes it."""
    d = form.cleaned_data
    return calculations.LineRequest(
        item_id=d.get("item"),
        label=d.get("label", ""),
        amount=d.get("amount"),
        unit=d.get("unit") or None,
        bearer=d.get("bearer") or None,
        cost_type=d.get("cost_type") or None,
        quantity=d["quantity"],
        start_month=d["start_month"],
        duration_months=d.get("duration_months"),
        probability=d["probability"],
    )


@login_required
def calculator_search(request):
    """Search-as-you-type results for one scenario (an HTMX fragment)."""
    scenario = request.GET.get("scenario", "")
    if scenario not in calculations.SCENARIOS:
        scenario = calculations.SCENARIOS[0]
    text = request.GET.get(f"q_{scenario}", "")[:100]
    return render(
        request,
        "costs/_calculator_search.html",
        {"s": {"key": scenario, "query": text, "found": line_rows.search(request.user, text)}},
    )
