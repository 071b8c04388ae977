from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Team
from maatwerk.accounts.roles import CASE_ROLES
from maatwerk.accounts.selectors import has_role, visible_teams
from maatwerk.audit import services as audit
from maatwerk.legal.models import BlockingRule

from . import selectors, services
from .forms import CaseFilterForm, NewCaseForm, NoteForm, ObstacleForm, ResidentFormSet
from .models import Case

PAGE_SIZE = 25
# Beyond this the offset no longer fits the database's integer (a 500); nobody pages this far.
MAX_PAGE = 100_000


class SlicePage:
    """One page of a queryset without COUNT(*): fetch one row more to know if there is a next."""

    def __init__(self, queryset, number, size: int = PAGE_SIZE):
        try:
            self.number = min(max(1, int(number or 1)), MAX_PAGE)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1


def _list_page(request, *, template, title, mine=False, team_overview=False):
    teams = list(visible_teams(request.user)) if not mine else []
    form = CaseFilterForm(request.GET or None, teams=teams, show_mine=not (mine or team_overview))
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user,
        query=filters.get("q", ""),
        status=filters.get("status", ""),
        mine=mine or bool(filters.get("mine")),
        life_domain=filters.get("life_domain", ""),
        team_id=filters.get("team"),
    )
    if team_overview:
        cases = cases.prefetch_related("assigned_workers")
    page = SlicePage(cases, request.GET.get("page"))
    rows = page.object_list
    audit.record_views(actor=request.user, objects=rows, reason=f"case list ({template})")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "cases": rows,
            "title": title,
            "team_overview": team_overview,
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
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The case has been created."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new_case.html", {"form": form, "residents": residents})


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _case_or_404(user, pk, *, full=False) -> Case:
    try:
        return selectors.case_detail(user, pk) if full else selectors.case_header(user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


@role_required(*CASE_ROLES)
def case_detail(request, pk: int):
    case = _case_or_404(request.user, pk, full=True)
    residents = list(case.household.residents.all())
    full_bsn = selectors.sees_full_bsn(request.user, case)
    with transaction.atomic():
        audit.record(actor=request.user, action=audit.Action.VIEW, obj=case)
        shown = [r for r in residents if r.has_bsn]
        if full_bsn and shown:
            audit.record_views(
                actor=request.user, objects=shown, reason="BSN shown in full on the case page"
            )
    for r in residents:
        r.bsn_display = (r.bsn_plain() if full_bsn else r.bsn_masked) if r.has_bsn else ""
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "residents": residents,
            # One query, whatever the number of plans: the plans app's rows for this case.
            "plans": list(case.plans.order_by("-created_at", "-pk")),
            "may_write": selectors.may_write(request.user, case),
            "note_form": NoteForm(),
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
            services.add_note(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            messages.success(request, _("The note has been added to the timeline."))
            return redirect("cases:detail", pk=case.pk)
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
            _attach_errors(form, error)
        else:
            messages.success(request, _("The obstacle has been added."))
            return redirect("cases:detail", pk=case.pk)
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=case, reason="add obstacle")
    return render(request, "cases/add_obstacle.html", {"case": case, "form": form})
