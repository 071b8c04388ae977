"""Pages of the cooperation app: requests to outside organisations on a case or plan, and the
directory of those organisations. Thin: every write is one service call; reads go through the
selectors, which apply need-to-know; every read of a request is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.models import Team
from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case
from maatwerk.core.errors import to_form
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans.models import Plan

from . import selectors, services
from .forms import (
    AnswerForm,
    ConsentForm,
    ContactForm,
    ContactPointForm,
    DecideSuggestionForm,
    DueDateForm,
    OrganisationForm,
    RequestForm,
    SendForm,
    SuggestForm,
)
from .models import ContactPoint, CooperationRequest, DirectoryStatus, ExternalOrganisation

CASE_WRITE_ROLES = case_selectors.CASE_WRITE_ROLES


def _request_or_404(user, pk: int) -> CooperationRequest:
    try:
        return selectors.request_detail(user, pk)
    except CooperationRequest.DoesNotExist:
        raise Http404 from None


def _writable(request, pk: int) -> CooperationRequest:
    coop = _request_or_404(request.user, pk)
    if not selectors.may_write(request.user, coop):
        raise PermissionDenied
    return coop


# --- a new request ----------------------------------------------------------------------------


def _new_request(request, case: Case, plan: Plan | None):
    if not case_selectors.may_write(request.user, case):
        raise PermissionDenied
    organisations = selectors.usable_organisations(case.team_id)
    plans = None if plan is not None else case.plans.order_by("-created_at", "-pk")
    draft_key = f"cooperation.request_draft:{request.path}"
    if request.method == "POST" and "suggest_organisation" in request.POST:
        # "Organisation not in the list?": keep what is typed (in the server-side session, for
        # this form only) while the worker suggests it, and come back here afterwards.
        request.session[draft_key] = {
            key: request.POST.getlist(key)
            for key in request.POST
            if key not in ("csrfmiddlewaretoken", "suggest_organisation")
        }
        return redirect(_with_query(reverse("cooperation:suggest"), next=request.path))
    initial = {}
    draft = request.session.pop(draft_key, None) if request.method == "GET" else None
    if draft:
        # What was typed before suggesting, as far as it was valid; no errors shown yet.
        typed = QueryDict(mutable=True)
        for key, values in draft.items():
            typed.setlist(key, values)
        kept = RequestForm(typed, organisations=organisations, plans=plans)
        kept.is_valid()
        initial.update(kept.cleaned_data)
    # Back from suggesting an organisation: the new one is chosen (when the team may use it).
    chosen = request.GET.get("organisation", "")
    if chosen.isdigit() and organisations.filter(pk=chosen).exists():
        initial["organisation"] = int(chosen)
    form = RequestForm(
        request.POST or None, organisations=organisations, plans=plans, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen_plan = plan or data.pop("plan", None)
        data.pop("plan", None)
        try:
            coop = services.create_request(request.user, case=case, plan=chosen_plan, **data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The request has been recorded."))
            return redirect("cooperation:detail", pk=coop.pk)
    audit.record(
        actor=request.user, action=audit.Action.VIEW, obj=plan or case, reason="new request"
    )
    return render(
        request, "cooperation/request_new.html", {"case": case, "plan": plan, "form": form}
    )


@role_required(*CASE_WRITE_ROLES)
def new_for_case(request, pk: int):
    try:
        case = case_selectors.case_header(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    return _new_request(request, case, None)


@role_required(*CASE_WRITE_ROLES)
def new_for_plan(request, pk: int):
    try:
        plan = plan_selectors.plan_list(request.user).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    return _new_request(request, plan.case, plan)


# --- one request ------------------------------------------------------------------------------


def _detail(request, coop: CooperationRequest, **forms):
    """The request page; `forms` replace the empty forms (a refused form shows its errors)."""
    audit.record(actor=request.user, action=audit.Action.VIEW, obj=coop)
    context = {
        "coop": coop,
        "case": coop.case,
        "contacts": list(selectors.contacts_of(coop)),
        "may_write": selectors.may_write(request.user, coop),
        "overdue": coop.is_overdue(),
        "settled_by": coop.settled_by(),
        "consent_form": ConsentForm(),
        "send_form": SendForm(),
        "contact_form": ContactForm(),
        "answer_form": AnswerForm(),
        "due_form": DueDateForm(initial={"due_on": coop.due_on}),
        **forms,
    }
    return render(request, "cooperation/request_detail.html", context)


@role_required(*CASE_ROLES)
def request_detail(request, pk: int):
    return _detail(request, _request_or_404(request.user, pk))


def _write(request, pk, form_class, form_name, call, success, anchor=""):
    """One POSTed form of the request page: the service call, or the page with its errors."""
    coop = _writable(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(coop, form.cleaned_data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, success)
            return redirect(reverse("cooperation:detail", args=[coop.pk]) + anchor)
    return _detail(request, coop, **{form_name: form})


@require_POST
@role_required(*CASE_WRITE_ROLES)
def record_consent(request, pk: int):
    return _write(
        request,
        pk,
        ConsentForm,
        "consent_form",
        lambda coop, d: services.record_consent(request.user, coop, **d),
        _("The resident's consent has been recorded."),
    )


@require_POST
@role_required(*CASE_WRITE_ROLES)
def send(request, pk: int):
    return _write(
        request,
        pk,
        SendForm,
        "send_form",
        lambda coop, d: services.send_request(request.user, coop, **d),
        _("The request is marked as sent."),
    )


@require_POST
@role_required(*CASE_WRITE_ROLES)
def add_contact(request, pk: int):
    return _write(
        request,
        pk,
        ContactForm,
        "contact_form",
        lambda coop, d: services.add_contact(request.user, coop, **d),
        # No jump to the contacts: the page opens at the message that says it worked (on a
        # phone the contacts section starts well below it).
        _("The contact has been added."),
    )


@require_POST
@role_required(*CASE_WRITE_ROLES)
def answer(request, pk: int):
    return _write(
        request,
        pk,
        AnswerForm,
        "answer_form",
        lambda coop, d: services.record_answer(
            request.user,
            coop,
            answer=d["answer"],
            reason=d["answer_reason"],
            answered_on=d["answered_on"],
        ),
        _("The answer has been recorded."),
    )


@require_POST
@role_required(*CASE_WRITE_ROLES)
def change_due_date(request, pk: int):
    return _write(
        request,
        pk,
        DueDateForm,
        "due_form",
        lambda coop, d: services.change_due_date(request.user, coop, **d),
        _("The due date has been changed."),
    )


@require_POST
@role_required(*CASE_WRITE_ROLES)
def withdraw(request, pk: int):
    coop = _writable(request, pk)
    try:
        services.withdraw_request(request.user, coop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("cooperation:detail", pk=coop.pk)


# --- the directory ----------------------------------------------------------------------------


@login_required
def directory(request):
    return render(
        request,
        "cooperation/directory.html",
        {
            "organisations": list(selectors.directory()),
            "may_suggest": bool(selectors.suggesting_team_ids(request.user)),
            "is_admin": selectors.is_directory_admin(request.user),
            "pending": selectors.pending_suggestions(request.user).count(),
            "own_suggestions": list(selectors.own_suggestions(request.user)[:20]),
        },
    )


@login_required
def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_detail(pk)
    except ExternalOrganisation.DoesNotExist:
        raise Http404 from None
    is_admin = selectors.is_directory_admin(request.user)
    own_teams = selectors.suggesting_team_ids(request.user)
    # A suggestion is seen by the team that made it (and the administrator).
    if (
        organisation.status != DirectoryStatus.ACTIVE
        and not is_admin
        and organisation.suggested_by_team_id not in own_teams
    ):
        raise Http404
    return render(
        request,
        "cooperation/organisation_detail.html",
        {"organisation": organisation, "is_admin": is_admin},
    )


def safe_next(request) -> str:
    """The page to go back to, from `next`: only a path on this site ("/..."), never another
    site ("//host", "https://host", "/\\host") or a script. Empty when there is none."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return ""


def _with_query(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@role_required(*CASE_WRITE_ROLES)
def suggest(request):
    teams = list(Team.objects.filter(pk__in=selectors.suggesting_team_ids(request.user)))
    if not teams:
        raise PermissionDenied
    back = safe_next(request)
    form = SuggestForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team = next(t for t in teams if t.pk == data.pop("team"))
        try:
            organisation = services.suggest_organisation(request.user, team=team, **data)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your team can use the organisation at once; the functional "
                    "administrator decides whether it joins the directory for everyone."
                ),
            )
            if back:
                # Back to the half-filled request, with the new organisation chosen.
                return redirect(_with_query(back, organisation=organisation.pk))
            return redirect("cooperation:directory")
    return render(request, "cooperation/suggest.html", {"form": form, "next": back})


def _decide_form(organisation: ExternalOrganisation, data=None) -> DecideSuggestionForm:
    # Each suggestion's form has ids of its own, so the error summary links to the right one.
    return DecideSuggestionForm(data, auto_id=f"decide-{organisation.pk}-%s")


def _suggestions_page(request, refused: DecideSuggestionForm | None = None, refused_pk=None):
    rows = [
        (o, refused if o.pk == refused_pk else _decide_form(o))
        for o in selectors.pending_suggestions(request.user)
    ]
    return render(request, "cooperation/suggestions.html", {"rows": rows})


@role_required(Role.ADMIN)
def suggestions(request):
    return _suggestions_page(request)


@require_POST
@role_required(Role.ADMIN)
def decide_suggestion(request, pk: int):
    try:
        organisation = selectors.pending_suggestions(request.user).get(pk=pk)
    except ExternalOrganisation.DoesNotExist:
        raise Http404 from None
    form = _decide_form(organisation, request.POST)
    if form.is_valid():
        try:
            decided = services.decide_suggestion(request.user, organisation, **form.cleaned_data)
        except ValidationError as error:
            to_form(form, error)
        else:
            if decided.status == DirectoryStatus.ACTIVE:
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("%(name)s is now in the directory.") % {"name": decided.name},
                        reverse("cooperation:organisation", args=[decided.pk]),
                        _("Add a contact point"),
                    ),
                )
            else:
                messages.success(request, _("%(name)s has been rejected.") % {"name": decided.name})
            return redirect("cooperation:suggestions")
    return _suggestions_page(request, refused=form, refused_pk=organisation.pk)


def _organisation_form(request, organisation: ExternalOrganisation | None):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.ORGANISATION_FIELDS}
        try:
            saved = services.save_organisation(request.user, organisation, **values)
        except ValidationError as error:
            to_form(form, error)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("cooperation:organisation", pk=saved.pk)
    return render(
        request,
        "cooperation/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@role_required(Role.ADMIN)
def new_organisation(request):
    return _organisation_form(request, None)


@role_required(Role.ADMIN)
def edit_organisation(request, pk: int):
    try:
        organisation = ExternalOrganisation.objects.get(pk=pk)
    except ExternalOrganisation.DoesNotExist:
        raise Http404 from None
    return _organisation_form(request, organisation)


def _contact_point_form(request, organisation, point):
    form = ContactPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.CONTACT_POINT_FIELDS}
        try:
            services.save_contact_point(request.user, organisation, point, **values)
        except ValidationError as error:
            to_form(form, error)
        else:
            if point is None:
                messages.success(request, _("The contact point has been added."))
            else:
                messages.success(request, _("The contact point has been saved."))
            return redirect("cooperation:organisation", pk=organisation.pk)
    return render(
        request,
        "cooperation/contact_point_form.html",
        {"form": form, "organisation": organisation, "point": point},
    )


@role_required(Role.ADMIN)
def add_contact_point(request, pk: int):
    try:
        organisation = ExternalOrganisation.objects.get(pk=pk)
    except ExternalOrganisation.DoesNotExist:
        raise Http404 from None
    return _contact_point_form(request, organisation, None)


def _active_point(pk: int) -> ContactPoint:
    try:
        return ContactPoint.objects.select_related("organisation").get(pk=pk, active=True)
    except ContactPoint.DoesNotExist:
        raise Http404 from None


@role_required(Role.ADMIN)
def edit_contact_point(request, pk: int):
    point = _active_point(pk)
    return _contact_point_form(request, point.organisation, point)


@require_POST
@role_required(Role.ADMIN)
def deactivate_contact_point(request, pk: int):
    point = _active_point(pk)
    services.deactivate_contact_point(request.user, point)
    messages.success(
        request,
        _("The contact point is out of the directory. Requests that went to it still show it."),
    )
    return redirect("cooperation:organisation", pk=point.organisation_id)
