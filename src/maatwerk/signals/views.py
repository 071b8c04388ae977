import base64
import hashlib
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Obstacle
from maatwerk.cooperation import selectors as cooperation
from maatwerk.core import csv_export, small_numbers
from maatwerk.core.choices import OrganisationType
from maatwerk.core.errors import as_text, to_form
from maatwerk.core.small_numbers import SMALL_NUMBER
from maatwerk.decisions.selectors import APPROACH_ROLES
from maatwerk.legal.models import Applier, BlockingRule

from . import charts, export, report, selectors, services
from .forms import (
    CollectiveActivityForm,
    CollectiveApproachForm,
    ContributionForm,
    PromoteRuleForm,
    RaiseSignalForm,
    TransitionForm,
)
from .models import NATIONAL_OWNER, NOTE_REQUIRED, OPEN_STATUSES, OwnerKind, Signal, Status


@role_required(Role.ADMIN)
def new_rules(request):
    """Rules that workers described anew on an obstacle, waiting to join the regelbank."""
    obstacles = list(case_selectors.new_rule_obstacles(request.user))
    audit.record_views(
        actor=request.user, objects=obstacles, reason="new rules to promote into the regelbank"
    )
    forms_by_obstacle = [
        (
            o,
            PromoteRuleForm(
                prefix=f"o{o.pk}",
                initial={
                    "name_nl": o.description_new_rule[:200],
                    "applied_by": o.applied_by if o.applied_by in Applier.values else "",
                },
            ),
        )
        for o in obstacles
    ]
    return render(request, "signals/new_rules.html", {"rows": forms_by_obstacle})


@require_POST
@role_required(Role.ADMIN)
def promote_rule(request, pk: int):
    try:
        obstacle = case_selectors.new_rule_obstacles(request.user).get(pk=pk)
    except Obstacle.DoesNotExist:
        raise Http404 from None
    form = PromoteRuleForm(request.POST, prefix=f"o{obstacle.pk}")
    if form.is_valid():
        try:
            services.promote_new_rule(actor=request.user, obstacle=obstacle, **form.cleaned_data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The rule is in the regelbank now."))
            return redirect("signals:new_rules")
    return render(request, "signals/new_rules.html", {"rows": [(obstacle, form)]}, status=400)


@role_required(*cooperation.FIGURE_ROLES)
def organisation_figures(request):
    """Per outside organisation: how often the teams asked, what came of it and what it cost
    them, beside the blocking rules behind the requests, over a period chosen by the requests'
    sent date (`?periode=3|6|12|alle`). Aggregates only (no case, no name, no free text), small
    numbers suppressed, so nothing here is a read of personal data."""
    period = request.GET.get("periode", cooperation.DEFAULT_FIGURE_PERIOD)
    if period not in cooperation.FIGURE_PERIODS:
        # A hand-edited or old link: say what is shown instead of changing it silently.
        messages.info(request, _("That period is unknown: the last 12 months are shown."))
        period = cooperation.DEFAULT_FIGURE_PERIOD
    today = timezone.localdate()
    since = cooperation.figure_period_start(period, today)
    context = {
        "rows": cooperation.organisation_figures(request.user, today=today, since=since),
        "small_number": SMALL_NUMBER,
        "period": period,
        "periods": [
            ("3", _("the last 3 months")),
            ("6", _("the last 6 months")),
            ("12", _("the last 12 months")),
            ("alle", _("all requests")),
        ],
        "since": since,
    }
    return render(request, "signals/organisation_figures.html", context)


def _refused_period(request, choices) -> str | None:
    """What `?periode=` asked for when it cannot be chosen (not a year or quarter, or outside
    the choices), cut short; None when it is fine or absent."""
    asked = (request.GET.get("periode") or "").strip()
    if asked and report.parse_period(asked) not in choices:
        return asked[:20]
    return None


def _report_choices(request, *, say=True):
    """The period (a fixed quarter or year) and breakdown asked for, and the choices."""
    today = timezone.localdate()
    choices = report.period_choices(today)
    period = report.parse_period(request.GET.get("periode")) or report.Period(today.year)
    refused = _refused_period(request, choices)
    if refused is not None:
        # A hand-edited or old link: say plainly what is shown instead (walk 14: "1999" and
        # "2026-K9" showed this year with only a faint note).
        period = report.Period(today.year)
        if say:
            messages.warning(
                request,
                _(
                    "The period “%(asked)s” cannot be chosen: choose a year or a quarter from "
                    "%(first)s up to now. Shown instead: %(shown)s."
                )
                % {"asked": refused, "first": choices[-1].year, "shown": period_label(period)},
            )
    breakdown = request.GET.get("per", "")
    if breakdown not in report.BREAKDOWNS:
        breakdown = ""
    return period, breakdown, choices


def period_label(period: report.Period) -> str:
    if period.quarter is None:
        return str(period.year)
    return _("Q%(quarter)s %(year)s") % {"quarter": period.quarter, "year": period.year}


BREAKDOWN_LABELS = {
    "": _lazy("no breakdown"),
    "team": _lazy("per team"),
    "organisatie": _lazy("per organisation"),
    "wijk": _lazy("per neighbourhood"),
}


def _ordered(rows, name):
    """Shown rows by households (the report's order), then the hidden ones by name: their
    order must not tell which hidden group is larger."""
    shown = [(label, r) for label, r in rows if r.households is not None]
    hidden = sorted(
        ((label, r) for label, r in rows if r.households is None), key=lambda x: name(x[0])
    )
    return shown + hidden


def _report_context(request):
    period, breakdown, choices = _report_choices(request)
    result = selectors.signal_report(request.user, period, breakdown=breakdown or None)
    labels = selectors.rule_labels([r.key for r in result.rules])
    open_signals = selectors.open_signals_by_rule(request.user)
    for label in labels.values():
        label.signal = open_signals.get(label.pk) if label.pk else None
    kinds = selectors.kind_labels()
    rows = _ordered([(labels[r.key], r) for r in result.rules], lambda label: label.name)
    grid = None
    if result.grid is not None:
        names = selectors.group_labels(breakdown, result.grid.groups)
        small_rules = {r.key: r.small for r in result.rules}
        grid = {
            "groups": [(g, names.get(g, "–")) for g in result.grid.groups],
            "rows": [
                (
                    labels[k],
                    [
                        (result.grid.cells[(k, g)], (k, g) in result.grid.small)
                        for g in result.grid.groups
                    ],
                    result.grid.rule_totals[k],
                    small_rules.get(k, False),
                )
                for k in result.grid.rules
            ],
            "totals": [result.grid.group_totals[g] for g in result.grid.groups],
            "total": result.grid.total,
        }
    return {
        "period": period,
        "period_label": period_label(period),
        "periods": [(p.key, period_label(p)) for p in choices],
        "breakdown": breakdown,
        "breakdowns": list(BREAKDOWN_LABELS.items()),
        "rows": rows,
        "total": result.rules_total,
        "kinds": _ordered([(kinds.get(r.key, r.key), r) for r in result.kinds], str),
        "kinds_total": result.kinds_total,
        "grid": grid,
        "chart": charts.bars([(label.name, r.households, r.small) for label, r in rows]),
        "small_number": small_numbers.inside_rule().minimum,
        "breakdowns_label": BREAKDOWN_LABELS[breakdown],
        "may_raise": selectors.may_raise_from_rule(request.user),
        "public_organisations": selectors.public_organisations(request.user),
        "export_organisations": selectors.export_organisations(request.user),
        # Linked for every policy role, also before anything is imported: the national page
        # then says who reads the exports in (walk 14: it was reachable only by URL).
        "may_see_national": (may_see_national := has_role(request.user, *selectors.POLICY_ROLES)),
        "national_imported": may_see_national and bool(selectors.national_periods()),
        "early_signals": _early_signal_counts(request.user, period),
    }


def _early_signal_counts(user, period):
    """For managers (the policy roles): early signals received in the period per partner type
    and result, under the inside small-number rule (issue 15, item 6); None for others."""
    from maatwerk.partners import report as partner_report
    from maatwerk.partners import selectors as partner_selectors

    organisation_ids = selectors.signal_organisation_ids(user, selectors.POLICY_ROLES)
    if not organisation_ids:
        return None
    rows = partner_selectors.report_rows(organisation_ids, period.start, period.end)
    return partner_report.build(rows, small_numbers.inside_rule())


@role_required(*selectors.REPORT_ROLES)
@require_GET
def signal_report(request):
    """The signal report (issue 14, point 1): obstacles per blocking rule and plans per kind of
    solution, for a fixed quarter or year, with households, plans, euros of both routes and the
    realised return; optionally households per team, organisation or neighbourhood. Aggregates
    only, suppressed by the small-number rule: no case, name or free text."""
    if request.GET.get("bereik") == NATIONAL_SCOPE:
        # The same page in national scope (issue 14, point 6), for the policy roles.
        if not has_role(request.user, *selectors.POLICY_ROLES):
            raise PermissionDenied
        return render(request, "signals/report.html", _national_context(request))
    return render(request, "signals/report.html", _report_context(request))


NATIONAL_SCOPE = "landelijk"


@role_required(*selectors.REPORT_ROLES)
@require_GET
def signal_report_csv(request):
    if _refused_period(request, report.period_choices(timezone.localdate())) is not None:
        # A file of another period than asked would be worse than none (walk 14).
        return HttpResponse(
            _("That period cannot be chosen: choose a year or a quarter on the report page."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    context = _report_context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv_export.writer(response, delimiter=";", decimal_comma=True)
    small = f"< {context['small_number']}"
    writer.writerow(
        [
            _("Table"), _("Group"), _("Law and article"), _("Households"), _("Plans made"),
            _("Plans approved"), _("Standard route (euros)"), _("Tailored route (euros)"),
            _("Realised net benefit (euros)"), _("Breakdown"),
        ]
    )  # fmt: skip

    def line(table, name, law, r):
        if r.households is None:
            return [table, name, law, small if r.small else "", "", "", "", "", "", ""]
        return [
            table, name, law, r.households, r.plans, r.approved, r.standard, r.tailored,
            r.realised, "",
        ]  # fmt: skip

    def cell(value, is_small):
        return (small if is_small else "·") if value is None else value  # as on the page

    for label, r in context["rows"]:
        writer.writerow(line(_("Blocking rule"), label.name, label.law, r))
    if context["total"]:
        writer.writerow(line(_("Blocking rule"), _("Total"), "", context["total"]))
    for name, r in context["kinds"]:
        writer.writerow(line(_("Kind of solution"), name, "", r))
    if context["kinds_total"]:
        writer.writerow(line(_("Kind of solution"), _("Total"), "", context["kinds_total"]))
    grid, name = context["grid"], f"signalen-{context['period'].key}"
    if grid is not None:
        # The breakdown chosen on the page, as on the page: households per rule and group,
        # one line each (walk 14: the CSV ignored it).
        table = f"{_('Blocking rule')} {context['breakdowns_label']}"
        for label, cells, _total, _small in grid["rows"]:
            for (_key, group), (value, is_small) in zip(grid["groups"], cells, strict=True):
                writer.writerow(
                    [table, label.name, label.law, cell(value, is_small)] + [""] * 5 + [group]
                )
        for (_key, group), value in zip(grid["groups"], grid["totals"], strict=True):
            writer.writerow([table, _("Total"), "", cell(value, False)] + [""] * 5 + [group])
        name += f"-{slugify(str(context['breakdowns_label']))}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="signals.report",
        reason=f"signal report {context['period'].key}",
    )
    return response


# --- System signals -------------------------------------------------------------------------


def _signal_or_404(user, pk: int) -> Signal:
    try:
        return selectors.signal_detail(user, pk)
    except Signal.DoesNotExist:
        raise Http404 from None


@role_required(*selectors.READ_ROLES)
def signal_list(request):
    """Open signals first, soonest deadline first (overdue marked); then the closed ones."""
    context = {
        "signals": selectors.signal_list(request.user),
        "today": timezone.localdate(),
        "may_raise": selectors.may_raise_from_rule(request.user),
        "may_report": has_role(request.user, *selectors.REPORT_ROLES),
    }
    return render(request, "signals/signal_list.html", context)


def _came_from(request) -> str:
    """Where a signal page was opened from, as passed on in `?van=`: "rapport" (the report's
    "Raise a signal about this rule") or "casus-<id>" (a case's obstacle); "" for anything else."""
    van = request.GET.get("van", "")
    if van == "rapport" or (van.startswith("casus-") and van[6:].isdigit() and len(van) < 20):
        return van
    return ""


def _back_link(request) -> tuple[str, str]:
    """The back link of a signal page: where the user came from, else the list for those who
    have the Signalen menu, else the start page (walk 14: a worker without that menu was sent
    "back to the system signals")."""
    van, user = _came_from(request), request.user
    if van == "rapport" and has_role(user, *selectors.REPORT_ROLES):
        return reverse("signals:report"), _("Back to the signal report")
    if van.startswith("casus-"):
        return reverse("cases:detail", args=[int(van[6:])]), _("Back to the case")
    if has_role(user, *selectors.REPORT_ROLES):
        return reverse("signals:list"), _("Back to the system signals")
    return reverse("home"), _("Back to the start page")


def _with_from(url: str, request) -> str:
    van = _came_from(request)
    return f"{url}?van={van}" if van else url


def _detail_context(request, signal: Signal, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    may_move = selectors.may_move(user, signal)
    next_statuses = signal.next_statuses() if may_move else []
    transition_form = forms.get("transition_form") or TransitionForm()
    needing = [s.label for s in next_statuses if s in NOTE_REQUIRED]
    if needing:
        # Optional for the other moves, needed for these: the label says so, not "optional".
        transition_form.fields["note"].needed_for = _("needed for: %(statuses)s") % {
            "statuses": ", ".join(f"“{label}”" for label in needing)
        }
    rule = signal.blocking_rule
    # "Rule changed" on a regelbank rule waits for the new version there, which only a
    # functional administrator records: say so next to the button, with the rule's page.
    awaits_regelbank = (
        Status.RULE_CHANGED in next_statuses
        and rule is not None
        and signal.rule_version is not None
        and rule.version <= signal.rule_version
    )
    return {
        "signal": signal,
        "today": today,
        "back": _back_link(request),
        "came_from": _came_from(request),
        "awaits_regelbank": awaits_regelbank,
        "is_admin": has_role(user, Role.ADMIN),
        "overdue": signal.is_overdue(today),
        "may_move": may_move,
        "next_statuses": next_statuses,
        "note_required": NOTE_REQUIRED,
        "transition_form": transition_form,
        "may_contribute": selectors.may_contribute(user, signal),
        "contribution_form": forms.get("contribution_form") or ContributionForm(),
        "households": selectors.feed_households(signal),
        "small_number": SMALL_NUMBER,
        "revision": selectors.rule_version_revision(signal),
        "before_after": selectors.before_after_counts(signal, today),
    }


@role_required(*selectors.READ_ROLES)
def signal_detail(request, pk: int):
    signal = _signal_or_404(request.user, pk)
    return render(request, "signals/signal_detail.html", _detail_context(request, signal))


@require_POST
@role_required(*selectors.SIGNAL_ROLES)
def transition(request, pk: int):
    signal = _signal_or_404(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition(
                request.user, signal, form.cleaned_data["to_status"], note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as e:
            to_form(form, e)
        else:
            messages.success(request, _("The signal's status is changed."))
            return redirect(_with_from(reverse("signals:detail", args=[signal.pk]), request))
    context = _detail_context(request, signal, transition_form=form)
    return render(request, "signals/signal_detail.html", context, status=400)


@require_POST
@role_required(Role.WORKER, Role.TEAM_LEAD)
def contribute(request, pk: int):
    signal = _signal_or_404(request.user, pk)
    if not selectors.may_contribute(request.user, signal):
        raise PermissionDenied
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.add_contribution(request.user, signal, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as e:
            to_form(form, e)
        else:
            messages.success(request, _("Thank you: what you know is added to the signal."))
            return redirect("signals:detail", pk=signal.pk)
    context = _detail_context(request, signal, contribution_form=form)
    return render(request, "signals/signal_detail.html", context, status=400)


# The department of the municipality that owns a rule its part of the municipality applies.
MUNICIPAL_DEPARTMENTS = {
    OrganisationType.MUNICIPALITY_WORK_INCOME: _lazy("Work and income department"),
    OrganisationType.MUNICIPALITY_BRP: _lazy("Civil affairs (population register)"),
}


def _owner_for(rule: BlockingRule | None, applied_by: str) -> dict:
    """A first guess at the rule's owner from who applies it: a rule the municipality (or one
    of its departments) applies is owned by a department of the municipality."""
    if applied_by == OrganisationType.MUNICIPALITY:
        return {"owner_kind": OwnerKind.DEPARTMENT}
    if applied_by in MUNICIPAL_DEPARTMENTS:
        return {"owner_kind": OwnerKind.DEPARTMENT, "owner_name": MUNICIPAL_DEPARTMENTS[applied_by]}
    label = dict(OrganisationType.choices).get(applied_by, "")
    if applied_by and applied_by != "other":
        return {"owner_kind": OwnerKind.ORGANISATION, "owner_name": label}
    return {"owner_kind": OwnerKind.NATIONAL, "owner_name": NATIONAL_OWNER}


def _rule_field(form, initial=None) -> None:
    form.fields["rule"] = forms.ModelChoiceField(
        label=_("Blocking rule"),
        queryset=BlockingRule.objects.order_by("name_nl"),
        initial=initial,
    )
    form.order_fields(["rule"])


@role_required(*selectors.RAISE_ROLES)
def new_signal(request):
    """Raise a signal on a rule (`?regel=<id>` prefills it: the report's rows link here)."""
    if not selectors.may_raise_from_rule(request.user):
        raise PermissionDenied
    rule = None
    raw = request.GET.get("regel", "")
    if raw.isdigit() and len(raw) < 10:
        rule = BlockingRule.objects.filter(pk=int(raw)).first()
    if request.method == "POST":
        form = RaiseSignalForm(request.POST)
        _rule_field(form)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                signal = services.raise_signal(request.user, **data)
            except (ValidationError, PermissionDenied) as e:
                to_form(form, e)
            else:
                messages.success(request, _("The signal is raised."))
                return redirect(_with_from(reverse("signals:detail", args=[signal.pk]), request))
        rule = form.cleaned_data.get("rule") if hasattr(form, "cleaned_data") else rule
        status = 400
    else:
        initial = {}
        if rule is not None:
            initial = {"title": rule.name, **_owner_for(rule, rule.applied_by)}
        form = RaiseSignalForm(initial=initial)
        _rule_field(form, initial=rule)
        status = 200
    existing = selectors.open_signal_for_rule(request.user, rule) if rule is not None else None
    context = {
        "form": form,
        "rule": rule,
        "existing": existing,
        "obstacle": None,
        "back": _back_link(request),
    }
    return render(request, "signals/new_signal.html", context, status=status)


@role_required(Role.WORKER, Role.TEAM_LEAD)
def from_obstacle(request, pk: int):
    """ "Dit komt vaker voor": raise a signal from an obstacle of one's own case, or join the
    open signal its rule already has."""
    try:
        obstacle = selectors.obstacle_for_signal(request.user, pk)
    except Obstacle.DoesNotExist:
        raise Http404 from None
    rule = obstacle.blocking_rule
    organisation_id = obstacle.case.team.organisation_id
    # The open signal this obstacle fed already, or else the open signal of its rule.
    existing = Signal.objects.filter(
        feeds__obstacle=obstacle, status__in=sorted(OPEN_STATUSES)
    ).first()
    if existing is None and rule is not None:
        existing = Signal.objects.filter(
            organisation_id=organisation_id,
            blocking_rule=rule,
            status__in=sorted(OPEN_STATUSES),
        ).first()
    if request.method == "POST" and request.POST.get("join") and existing is not None:
        try:
            services.feed_signal(request.user, existing, obstacle)
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, as_text(e))
        else:
            messages.success(request, _("Your obstacle is added to the signal."))
        return redirect("cases:detail", pk=obstacle.case_id)
    if request.method == "POST":
        form = RaiseSignalForm(request.POST)
        if form.is_valid():
            try:
                services.raise_signal(request.user, obstacle=obstacle, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as e:
                to_form(form, e)
            else:
                messages.success(request, _("The signal is raised. You can follow it here."))
                return redirect("cases:detail", pk=obstacle.case_id)
        status = 400
    else:
        form = RaiseSignalForm(
            initial={
                "title": obstacle.rule_name[:200],
                **_owner_for(rule, obstacle.applied_by),
            }
        )
        status = 200
    context = {
        "form": form,
        "rule": rule,
        "existing": existing,
        "obstacle": obstacle,
        "fed_ids": set(obstacle.signal_feeds.values_list("signal_id", flat=True)),
    }
    return render(request, "signals/new_signal.html", context, status=status)


# --- Collective patterns, collective approaches, the public page (issue 14, point 5) --------


def _pattern_labels(patterns_) -> tuple[dict, dict, dict]:
    """Names of the neighbourhoods, life domains and rules of the patterns (no personal data)."""
    from maatwerk.core.domains import LifeDomain

    codes = {p.neighbourhood for p in patterns_.shown} | set(patterns_.hidden)
    areas = selectors.group_labels("wijk", codes)
    domains = {**dict(LifeDomain.choices), "": _("Life domain not recorded")}
    rules = selectors.rule_labels({p.rule for p in patterns_.shown})
    return areas, domains, rules


def _pattern_key(neighbourhood, domain, rule) -> tuple:
    return (neighbourhood or "", domain or "", rule if rule is not None else report.NEW_RULE)


@role_required(*selectors.REPORT_ROLES)
@require_GET
def collective_patterns(request):
    """Per neighbourhood and life domain: which obstacles recur, in distinct households, for a
    fixed quarter or year (inside rule: fewer than 5 not shown); the collective approaches of the
    organisation, and for a team lead a link to mark a pattern for one."""
    period, _breakdown, choices = _report_choices(request)
    found = selectors.collective_patterns(request.user, period)
    areas, domains, rules = _pattern_labels(found)
    approaches = list(selectors.visible_approaches(request.user))
    by_pattern: dict = {}
    for a in approaches:
        key = _pattern_key(a.neighbourhood_code, a.life_domain, a.blocking_rule_id)
        by_pattern.setdefault(key, []).append(a)
    may_mark = has_role(request.user, *APPROACH_ROLES)
    rows = [
        {
            "area": areas.get(p.neighbourhood) or p.neighbourhood or _("No neighbourhood code"),
            "code": p.neighbourhood,
            "domain": domains.get(p.domain, p.domain),
            "domain_key": p.domain,
            "rule": rules[p.rule],
            "rule_key": p.rule,
            "households": p.households,
            "approaches": by_pattern.get(_pattern_key(p.neighbourhood, p.domain, p.rule), []),
        }
        for p in found.shown
    ]
    hidden = sorted(
        (
            (areas.get(code) or code or _("No neighbourhood code"), n)
            for code, n in found.hidden.items()
        ),
        key=lambda x: str(x[0]),
    )
    return render(
        request,
        "signals/patterns.html",
        {
            "period": period,
            "period_label": period_label(period),
            "periods": [(p.key, period_label(p)) for p in choices],
            "rows": rows,
            "hidden": hidden,
            "approaches": approaches,
            "may_mark": may_mark,
            "small_number": small_numbers.inside_rule().minimum,
        },
    )


@role_required(*APPROACH_ROLES)
def new_approach(request):
    """A team lead (or the team's manager, or a director) marks a pattern
    (?wijk=&leefgebied=&regel=) for a collective approach; without a neighbourhood and life
    domain in the URL the form asks for them (the patterns page is never a dead end, walk 14).
    A budget above the starter's mandate is refused by the service (decisions' mandates)."""
    from maatwerk.accounts.models import TeamArea
    from maatwerk.core.domains import LifeDomain
    from maatwerk.decisions import selectors as decisions
    from maatwerk.decisions import services as decision_services

    source = request.POST if request.method == "POST" else request.GET
    code = source.get("wijk", "")[:10]
    domain = source.get("leefgebied", "")
    # A pattern from the patterns page carries both; else the form asks for them (and once both
    # are chosen, its POST carries them like a pattern's).
    given = bool(code and domain)
    if given and domain not in LifeDomain.values:
        raise Http404
    # "regel": a rule's id, NEW_RULE (a pattern of rules workers described themselves), or
    # absent (an approach for the neighbourhood and life domain as a whole, walk 14: it was
    # labelled "Nieuw beschreven regels", as if the team lead had picked those).
    rule_value = source.get("regel", "")
    rule = None
    if rule_value not in ("", report.NEW_RULE):
        try:
            rule = BlockingRule.objects.get(pk=int(rule_value))
        except (ValueError, BlockingRule.DoesNotExist):
            raise Http404 from None
    teams = decisions.approach_teams(request.user)
    if not teams:
        raise PermissionDenied
    areas = None
    if not given:
        names: dict = {}
        for area_code, name in TeamArea.objects.filter(team__in=teams).values_list("code", "name"):
            names.setdefault(area_code, f"{name} ({area_code})" if name else area_code)
        areas = sorted(names.items(), key=lambda item: str(item[1]))
    initial = {} if given else {"wijk": code, "leefgebied": domain}
    # A proposal handed over from below arrives filled in (`_hand_over_link`).
    initial.update({k: request.GET[g] for g, k in _HAND_OVER_FIELDS.items() if request.GET.get(g)})
    # Each team's mandate, said before submit (walk 14: it only showed in the refusal).
    mandates = {}
    for t in teams:
        mandates.setdefault(_mandate_text(decisions.approach_mandate(request.user, t)), []).append(
            t
        )
    form = CollectiveApproachForm(
        request.POST or None,
        teams=teams,
        areas=areas,
        initial=initial,
        mandate=_mandates_help(mandates),
    )
    hand_over = None
    if request.method == "POST" and form.is_valid():
        if not given:
            code, domain = form.cleaned_data["wijk"], form.cleaned_data["leefgebied"]
        team = form.cleaned_data.get("team") or teams[0]
        try:
            if request.POST.get("overdragen"):
                decider = decision_services.hand_over_collective_approach(
                    request.user,
                    team=team,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    amount=form.cleaned_data["amount"],
                    link=_hand_over_link(form.cleaned_data, team, code, domain, rule_value),
                )
                messages.success(
                    request,
                    _(
                        "The proposal is handed over to %(who)s: they get an e-mail with this "
                        "form filled in, and start the approach under their mandate."
                    )
                    % {"who": decider},
                )
                return redirect("signals:patterns")
            approach = decision_services.start_collective_approach(
                request.user,
                team=team,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                public=form.cleaned_data["public"],
                neighbourhood_code=code,
                life_domain=domain,
                blocking_rule=rule,
            )
        except ValidationError as e:
            amount = form.cleaned_data.get("amount")  # before the error takes it out
            to_form(form, e)
            if getattr(e, "code", None) == "decisions.mandate" and amount:
                # Above the mandate: the route up the ladder, as a plan goes (issue 14 walk).
                decider = decisions.approach_decider(team, amount)
                hand_over = decider if decider is not None and decider.emails else None
        else:
            messages.success(request, _("The collective approach is recorded."))
            return redirect("signals:approach", pk=approach.pk)
    if rule is not None:
        rule_label = selectors.rule_labels([rule.pk])[rule.pk].name
    elif rule_value == report.NEW_RULE:
        rule_label = _("Rules workers described themselves (not yet in the regelbank)")
    else:
        rule_label = _("No particular rule: the neighbourhood and life domain as a whole")
    context = {
        "form": form,
        "given": given,
        "code": code,
        "area": selectors.group_labels("wijk", [code]).get(code),
        "domain": domain,
        "domain_label": dict(LifeDomain.choices).get(domain, _("Life domain not recorded")),
        "rule_value": rule.pk if rule else rule_value,
        "rule_label": rule_label,
        "for_rule": rule is not None or rule_value == report.NEW_RULE,
        "hand_over": hand_over,
    }
    return render(request, "signals/new_approach.html", context, status=400 if form.errors else 200)


# The form's fields a hand-over carries in its link (query name → field).
_HAND_OVER_FIELDS = {"naam": "name", "soort": "kind", "bedrag": "amount", "team": "team"}


def _hand_over_link(data: dict, team, code: str, domain: str, rule_value: str) -> str:
    """The form, filled in, for the holder of the mandate a proposal is handed over to."""
    query = {"wijk": code, "leefgebied": domain, "regel": rule_value, "team": team.pk}
    query |= {g: data[k] for g, k in _HAND_OVER_FIELDS.items() if k != "team"}
    query["bedrag"] = str(data["amount"]).replace(".", ",")
    return f"{reverse('signals:new_approach')}?{urlencode(query)}"


def _mandate_text(mandate) -> str:
    """One team's mandate for a collective approach's budget, in a sentence."""
    if not mandate.configured:
        return mandate.own
    if mandate.limit is None:
        return _("Your mandate: %(own)s.") % {"own": mandate.own}
    if mandate.above is None:
        return _("Your mandate: %(own)s. No level of the escalation ladder decides more.") % {
            "own": mandate.own
        }
    return _(
        "Your mandate: %(own)s. A larger budget is decided by %(above)s: you can hand the "
        "proposal over to them."
    ) % {"own": mandate.own, "above": mandate.above.addressee}


def _mandates_help(mandates: dict) -> str:
    """The mandates per team; one sentence when they are the same for every team."""
    if len(mandates) == 1:
        return next(iter(mandates))
    return " ".join(
        f"{', '.join(t.name for t in teams)}: {text}" for text, teams in mandates.items()
    )


def _approach_or_404(user, pk: int):
    from maatwerk.decisions.models import CollectiveApproach

    try:
        return selectors.visible_approaches(user).get(pk=pk)
    except CollectiveApproach.DoesNotExist:
        raise Http404 from None


def _approach_page(request, approach, form=None, status=200):
    from maatwerk.core.domains import LifeDomain
    from maatwerk.decisions import selectors as decisions
    from maatwerk.decisions.models import Budget

    if form is None and decisions.leads_team(request.user, approach.team_id):
        form = CollectiveActivityForm(approach=approach, initial={"day": timezone.localdate()})
    money = decisions.collective_money(approach)
    budget = Budget.objects.filter(pk=money.budget_id).first() if money.budget_id else None
    rule_key = approach.blocking_rule_id or report.NEW_RULE
    context = {
        "approach": approach,
        "area": selectors.group_labels("wijk", [approach.neighbourhood_code]).get(
            approach.neighbourhood_code
        ),
        "domain_label": dict(LifeDomain.choices).get(
            approach.life_domain, _("Life domain not recorded")
        ),
        "rule_label": selectors.rule_labels([rule_key])[rule_key],
        "activities": approach.activities.select_related("payment", "created_by").order_by(
            "-day", "-id"
        ),
        "money": money,
        "budget": budget,
        "may_see_budget": budget is not None and decisions.manages_budget(request.user, budget),
        "form": form,
    }
    return render(request, "signals/approach_detail.html", context, status=status)


@role_required(*selectors.REPORT_ROLES)
def approach_detail(request, pk: int):
    """A collective approach: its pattern, kind, status, money on the ledger and what was done;
    its team's lead records a line there (`record_activity`)."""
    approach = _approach_or_404(request.user, pk)  # another organisation's: 404 first
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _approach_page(request, approach)


@require_POST
@role_required(Role.TEAM_LEAD)
def record_activity(request, pk: int):
    """The approach's team lead records what was done, with a payment from its budget."""
    from maatwerk.decisions import selectors as decisions
    from maatwerk.decisions import services as decision_services

    approach = _approach_or_404(request.user, pk)
    if not decisions.leads_team(request.user, approach.team_id):
        raise PermissionDenied
    form = CollectiveActivityForm(request.POST, approach=approach)
    if form.is_valid():
        try:
            decision_services.record_collective_activity(
                request.user,
                approach,
                day=form.cleaned_data["day"],
                note=form.cleaned_data["note"],
                status=form.cleaned_data["status"],
                amount=form.cleaned_data["amount"],
                payee=form.cleaned_data["payee"],
            )
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("Recorded."))
            return redirect("signals:approach", pk=approach.pk)
    return _approach_page(request, approach, form, status=400)


@require_GET
def public_page(request, pk: int):
    """The public, read-only page of an organisation (no login): the outside-rule figures for
    the last full year — at least 10 households, counts rounded to 5, euros only when no
    household holds more than 30 % of them, secondary suppression — with a chart and its
    table, and the collective approaches by name, kind and status only."""
    from maatwerk.accounts.models import Organisation
    from maatwerk.decisions import selectors as decisions
    from maatwerk.decisions.models import CollectiveApproach

    try:
        organisation = Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    period = selectors.public_period(timezone.localdate())
    result = selectors.public_report(organisation, period)
    labels = selectors.rule_labels([r.key for r in result.rules])
    rows = _ordered([(labels[r.key], r) for r in result.rules], lambda label: label.name)
    # Only the approaches the team lead chose to make public, only those under way or planned
    # (walk 14), each under its own heading. Never the name: it is free text, and a name like
    # "Buurtkamer Wadwijk-Noord" points at one neighbourhood, a group far below the outside
    # rule's minimum. The coded facts instead: kind, life domain, status, and the blocking rule
    # only when this page's own figures show that rule (at least the outside minimum of
    # households organisation-wide). No team, no money, no neighbourhood.
    from maatwerk.core.domains import LifeDomain

    shown_rules = {r.key: labels[r.key].name for r in result.rules if r.households is not None}
    domains = dict(LifeDomain.choices)
    approaches = {CollectiveApproach.Status.RUNNING: [], CollectiveApproach.Status.PLANNED: []}
    for a in (
        decisions.collective_approaches([organisation.pk])
        .filter(public=True, status__in=list(approaches))
        .select_related(None)
        .only("kind", "status", "life_domain", "blocking_rule_id", "created_at")
    ):
        approaches[a.status].append(
            {
                "kind": a.get_kind_display(),
                "domain": domains.get(a.life_domain, ""),
                "rule": shown_rules.get(a.blocking_rule_id) if a.blocking_rule_id else None,
            }
        )
    rule = small_numbers.outside_rule()
    return render(
        request,
        "signals/public.html",
        {
            "organisation": organisation,
            "period": period,
            "rows": rows,
            "total": result.rules_total,
            "hidden": sum(1 for _label, r in rows if r.households is None),
            "chart": charts.bars([(label.name, r.households, r.small) for label, r in rows]),
            "running": approaches[CollectiveApproach.Status.RUNNING],
            "planned": approaches[CollectiveApproach.Status.PLANNED],
            "minimum": rule.minimum,
            "rounding": rule.rounding,
            "dominance": int(rule.dominance * 100) if rule.dominance else None,
        },
    )


# --- The national picture (issue 14, point 6) ------------------------------------------------


@require_GET
def export_schema(request):
    """The published JSON Schema of the national export (public: it holds no figures)."""
    response = HttpResponse(
        export.SCHEMA_PATH.read_bytes(), content_type="application/schema+json; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@role_required(*selectors.POLICY_ROLES)
@require_GET
def national_export(request, fmt: str):
    """The organisation's export for the chosen period under the outside rule, as JSON (with
    its checksum in the envelope) or CSV; the SHA-256 of the file in `Repr-Digest`. Audited."""
    period, _breakdown, _choices = _report_choices(request)
    organisations = selectors.export_organisations(request.user)
    raw = request.GET.get("organisatie", "")
    organisation = next((o for o in organisations if str(o.pk) == raw), None)
    if organisation is None and not raw and organisations:
        organisation = organisations[0]
    if organisation is None:
        raise Http404
    data = export.payload(organisation, period, now=timezone.now())
    if fmt == "json":
        content, content_type = export.to_json(data), "application/json"
    else:
        content, content_type = export.to_csv(data), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    name = f"signalen-{slugify(organisation.name)}-{period.key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORT,
        object_type="signals.national_export",
        object_id=organisation.pk,
        reason=f"nationwide export {period.key} ({fmt})",
    )
    return response


@role_required(*selectors.POLICY_ROLES)
@require_GET
def national_report(request):
    """The old address of the national picture: now the report's national scope."""
    query = {"bereik": NATIONAL_SCOPE}
    if request.GET.get("periode"):
        query["periode"] = request.GET["periode"][:10]
    return redirect(f"{reverse('signals:report')}?{urlencode(query)}")


def _national_context(request) -> dict:
    """The national picture: the imported exports of many organisations merged per rule, for
    a period that has imports. Sums of shown cells only, so every total is a lower bound."""
    base = {"scope": NATIONAL_SCOPE, "may_see_national": True, "national": None}
    periods = selectors.national_periods()
    base["national_imported"] = bool(periods)
    if not periods:
        return base
    wanted = request.GET.get("periode", "")
    period = wanted if wanted in periods else periods[0]
    if wanted and wanted not in periods:
        messages.info(request, _("No national figures for that period: the latest are shown."))
    merged, imports = selectors.national_report(period)
    parsed = report.parse_period(period)
    return {
        **base,
        "national_period": period,
        "period_label": period_label(parsed) if parsed else period,
        "periods": [(p, period_label(report.parse_period(p))) for p in periods],
        "national": merged,
        "imports": imports,
        "minimum": small_numbers.outside_rule().minimum,
    }
