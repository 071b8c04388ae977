import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Team
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.accounts.selectors import area_name, has_role, visible_teams
from maatwerk.audit import services as audit
from maatwerk.core.errors import as_text, to_form
from maatwerk.legal.models import BlockingRule

from . import bsn as bsn_lib
from . import selectors, services
from .forms import (
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CloseCaseForm,
    NewCaseForm,
    NoteForm,
    ObstacleForm,
    ResidentFormSet,
)
from .models import Case

PAGE_SIZE = 25
# Searches kept in the session, keyed by an opaque token: a BSN or a name typed in the search
# box never reaches the query string (proxy logs, browser history). Only the newest few stay.
SEARCH_SESSION_KEY = "case_searches"
SEARCHES_KEPT = 10


class CountedPage:
    """One page of a queryset with the total; a page beyond the last shows the last."""

    def __init__(self, queryset, number, size: int = PAGE_SIZE):
        self.count = queryset.count()
        self.num_pages = max(1, -(-self.count // size))
        try:
            wanted = int(str(number or 1)[:12])
        except (TypeError, ValueError):
            wanted = 1
        self.number = min(max(1, wanted), self.num_pages)
        start = (self.number - 1) * size
        self.object_list = list(queryset[start : start + size])
        self.has_next = self.number < self.num_pages
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1


def _remember_search(request, text: str) -> str:
    """Keep a search in the session; return its token. A BSN is kept as its keyed hash."""
    from . import bsn

    entry = (
        {"bsn_hash": bsn.lookup_hash(text)} if bsn.is_valid(bsn.normalise(text)) else {"text": text}
    )
    searches = dict(request.session.get(SEARCH_SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    searches[token] = entry
    request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


def _recalled_search(request) -> dict:
    token = request.GET.get("zoek", "")
    return request.session.get(SEARCH_SESSION_KEY, {}).get(token, {}) if token else {}


def _list_page(request, *, template, title, mine=False, team_overview=False):
    teams = list(visible_teams(request.user)) if not mine else []
    form_kwargs = {"teams": teams, "show_mine": not (mine or team_overview)}
    if request.method == "POST":
        # Post-redirect-get: the filters go to the query string, the search text does not.
        form = CaseFilterForm(request.POST, **form_kwargs)
        if form.is_valid():
            params = {
                k: v
                for k, v in form.cleaned_data.items()
                if k != "q" and v not in ("", None, False)
            }
            if params.get("mine"):
                params["mine"] = "1"
            if form.cleaned_data.get("q"):
                params["zoek"] = _remember_search(request, form.cleaned_data["q"])
            query = urlencode(params)
            return redirect(f"{request.path}?{query}" if query else request.path)
        filters, search = {}, {}
    else:
        search = _recalled_search(request)
        data = request.GET.copy()
        data.pop("page", None)
        data.pop("zoek", None)
        plain_q = data.get("q", "")
        if plain_q and bsn_lib.is_valid(bsn_lib.normalise(plain_q)):
            # A BSN arrived in a URL anyway (an old bookmark): it is not searched, and the page
            # answers at an address without it; the search box sends it the safe way.
            messages.warning(
                request, _("Search for a BSN with the search box; it is never put in the address.")
            )
            rest = request.GET.copy()
            rest.pop("q")
            return redirect(f"{request.path}?{rest.urlencode()}" if rest else request.path)
        elif plain_q:
            search = {"text": plain_q}
        if "text" in search:
            data["q"] = search["text"]
        form = CaseFilterForm(data or None, **form_kwargs)
        filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.with_list_columns(
        selectors.case_list(
            request.user,
            query=search.get("text", ""),
            bsn_hash=search.get("bsn_hash", ""),
            status=filters.get("status", ""),
            mine=mine or bool(filters.get("mine")),
            life_domain=filters.get("life_domain", ""),
            team_id=filters.get("team"),
            order=filters.get("sort") or "newest",
        )
    )
    page = CountedPage(cases, request.GET.get("page"))
    rows = page.object_list
    for case in rows:
        case.latest_plan = selectors.latest_plan(case)
    audit.record_views(actor=request.user, objects=rows, reason=f"case list ({template})")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "cases": rows,
            "title": title,
            "searched_bsn": "bsn_hash" in search,
            "team_overview": team_overview,
            "show_team_column": len(teams) > 1,
            "may_create": bool(selectors.writable_team_ids(request.user)),
            "show_team_link": has_role(request.user, *selectors.TEAM_OVERVIEW_ROLES),
        },
    )


@role_required(*CASE_ROLES)
def case_list(request):
    return _list_page(request, template="cases/case_list.html", title=_("Cases"))


@role_required(*CASE_ROLES)
def my_cases(request):
    return _list_page(request, template="cases/case_list.html", title=_("My cases"), mine=True)


@role_required(*selectors.TEAM_OVERVIEW_ROLES)
def team_cases(request):
    return _list_page(
        request, template="cases/case_list.html", title=_("Team cases"), team_overview=True
    )


@role_required(*selectors.CASE_WRITE_ROLES)
def new_case(request):
    teams = list(Team.objects.filter(pk__in=selectors.writable_team_ids(request.user)))
    form = NewCaseForm(request.POST or None, teams=teams, initial={"team": teams[0].pk})
    residents = ResidentFormSet(request.POST or None, prefix="residents")
    known_elsewhere = None
    if request.method == "POST" and form.is_valid() and residents.is_valid():
        data = form.cleaned_data
        team = next(t for t in teams if t.pk == data["team"])
        try:
            case = services.create_household_with_case(
                actor=request.user,
                team=team,
                reference=data["reference"],
                neighbourhood_code=data["neighbourhood_code"],
                residents=[f.cleaned_data for f in residents.forms if f.cleaned_data],
                title=data["title"],
                goal=data["goal"],
                first_step=data["first_step"],
                life_domains=data["life_domains"],
                organisations=data["organisations"],
            )
        except services.OpenCaseExists as error:
            # What a worker expects: the household's open case, not a second one beside it.
            messages.info(
                request,
                _("This household is already known in your team. Here is its open case."),
            )
            return redirect("cases:detail", pk=error.known.open_case_id)
        except services.KnownElsewhere as error:
            known_elsewhere = error.known
        except ValidationError as error:
            to_form(form, error)
        else:
            if getattr(case, "joined_existing_household", False):
                messages.success(
                    request,
                    _(
                        "The household was already known in your team: the new case has "
                        "been added to it."
                    ),
                )
            else:
                messages.success(request, _("The case has been created."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/new_case.html",
        {"form": form, "residents": residents, "known_elsewhere": known_elsewhere},
    )


def _case_or_404(user, pk, *, full=False) -> Case:
    try:
        return selectors.case_detail(user, pk) if full else selectors.case_header(user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


@role_required(*CASE_ROLES)
def case_detail(request, pk: int):
    case = _case_or_404(request.user, pk, full=True)
    residents = list(case.household.residents.all())
    full_bsn = services.record_case_read(actor=request.user, case=case, residents=residents)
    for r in residents:
        r.bsn_display = (r.bsn_plain() if full_bsn else r.bsn_masked) if r.has_bsn else ""
    # One query, whatever the number of plans: the plans app's rows for this case.
    plans = list(case.plans.order_by("-created_at", "-pk"))
    # A revision is named with the plan it revises: "Plan 15 (version 2 of plan 5)".
    by_pk = {p.pk: p for p in plans}
    for p in plans:
        first = p
        while first.previous_version_id in by_pk:
            first = by_pk[first.previous_version_id]
        p.first_version_pk = first.pk
    may_write = selectors.may_write(request.user, case)
    household = case.household
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "residents": residents,
            "plans": plans,
            "may_write": may_write,
            "may_assign": selectors.may_assign(request.user, case),
            "neighbourhood": area_name(case.team.organisation_id, household.neighbourhood_code),
            "note_form": NoteForm(),
            "timeline": selectors.case_timeline(case),
        },
    )


def _writable_case(request, pk) -> Case:
    case = _case_or_404(request.user, pk)
    if not selectors.may_write(request.user, case):
        raise PermissionDenied
    return case


@role_required(*selectors.CASE_WRITE_ROLES)
def add_note(request, pk: int):
    case = _writable_case(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.add_note(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The note has been added to the timeline."))
            # Land at the new note, so the worker sees it among the others (on a phone the
            # timeline is far down the page).
            return redirect(reverse("cases:detail", args=[case.pk]) + f"#note-{note.pk}")
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="add note")
    return render(request, "cases/add_note.html", {"case": case, "form": form})


@role_required(*selectors.CASE_WRITE_ROLES)
def add_obstacle(request, pk: int):
    case = _writable_case(request, pk)
    rules = list(BlockingRule.objects.order_by("life_domain", "name_nl"))
    form = ObstacleForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = next((r for r in rules if r.pk == data["blocking_rule"]), None)
        try:
            services.add_obstacle(
                actor=request.user,
                case=case,
                blocking_rule=rule,
                description_new_rule=data["description_new_rule"],
                applied_by=data["applied_by"],
                effect=data["effect"],
            )
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The obstacle has been added."))
            return redirect("cases:detail", pk=case.pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="add obstacle")
    return render(request, "cases/add_obstacle.html", {"case": case, "form": form})


@role_required(*selectors.CASE_WRITE_ROLES)
def edit_case(request, pk: int):
    case = _writable_case(request, pk)
    initial = {
        "title": case.title,
        "goal": case.goal,
        "first_step": case.first_step,
        "life_domains": list(case.life_domains.values_list("domain", flat=True)),
    }
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect("cases:detail", pk=case.pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="edit case")
    return render(request, "cases/edit_case.html", {"case": case, "form": form})


@role_required(Role.TEAM_LEAD)
def assign_case(request, pk: int):
    case = _case_or_404(request.user, pk)
    if not selectors.may_assign(request.user, case):
        raise PermissionDenied
    people = list(selectors.team_workers(case.team_id))
    current = list(case.assigned_workers.values_list("pk", flat=True))
    loads = {worker.pk: n for worker, n in selectors.caseload([case.team_id])}
    form = AssignForm(
        request.POST or None, people=people, loads=loads, initial={"workers": current}
    )
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in people if p.pk in set(form.cleaned_data["workers"])]
        try:
            services.set_workers(actor=request.user, case=case, workers=chosen)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The case has been assigned."))
            return redirect("cases:detail", pk=case.pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="assign case")
    return render(request, "cases/assign_case.html", {"case": case, "form": form})


@role_required(*selectors.CASE_WRITE_ROLES)
def close_case(request, pk: int):
    case = _writable_case(request, pk)
    if case.status != Case.Status.OPEN:
        messages.info(request, _("This case is already closed."))
        return redirect("cases:detail", pk=case.pk)
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The case has been closed."))
            return redirect("cases:detail", pk=case.pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="close case")
    return render(request, "cases/close_case.html", {"case": case, "form": form})


@require_POST
@role_required(*selectors.CASE_WRITE_ROLES)
def reopen_case(request, pk: int):
    case = _writable_case(request, pk)
    try:
        reopened = services.reopen_case(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, as_text(error))
    else:
        said = " ".join([_("The case has been reopened."), *reopened.reopen_notes])
        messages.success(request, said)
    return redirect("cases:detail", pk=case.pk)
