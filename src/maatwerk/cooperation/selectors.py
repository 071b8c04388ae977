"""Reads of the cooperation app, with need-to-know applied through the case's team.

Requests are personal data of a household: a user sees a request exactly when they see its
case (`cases.selectors.visible_cases`), and writes to it exactly when they write to its case.
The directory of outside organisations holds no personal data. Escalation beyond the
organisation (issue 12, points 3 and 4) reads here too: referrals, what the referral document
holds, and the figures per outside organisation for policy (aggregates only: no case, no name,
no free text).
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import case_team_ids, has_role, memberships
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Case, Obstacle
from maatwerk.core.choices import OrganisationType
from maatwerk.core.small_numbers import is_small
from maatwerk.plans import selectors as plan_selectors
from maatwerk.plans.models import Plan

from .models import (
    Answer,
    Contact,
    ContactPoint,
    CooperationRequest,
    DirectoryCategory,
    DirectoryStatus,
    ExternalOrganisation,
    Referral,
    ReferralRoute,
    ReferralStatus,
    overdue_q,
)

Status = CooperationRequest.Status


def _with_minutes(qs: QuerySet[CooperationRequest]) -> QuerySet[CooperationRequest]:
    return qs.annotate(
        minutes_spent=Coalesce(Sum("contacts__minutes"), Value(0), output_field=IntegerField())
    )


def visible_requests(user) -> QuerySet[CooperationRequest]:
    """Requests of cases the user may see."""
    return CooperationRequest.objects.filter(case__team_id__in=case_team_ids(user))


def _referrals() -> Prefetch:
    """A request's referrals (its state reads the answered ones), with who escalated."""
    return Prefetch(
        "referrals", queryset=Referral.objects.select_related("created_by", "answered_by", "to")
    )


def request_list(user, *, case=None, plan=None, status: str = "") -> QuerySet[CooperationRequest]:
    qs = (
        visible_requests(user)
        .select_related("organisation", "case__household", "plan")
        .prefetch_related(_referrals())
    )
    if case is not None:
        qs = qs.filter(case=case)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    return _with_minutes(qs).order_by("-created_at", "-id")


def request_detail(user, pk: int) -> CooperationRequest:
    """One request with what its page shows; raises CooperationRequest.DoesNotExist for a
    request the user may not see, so views answer 404."""
    return (
        _with_minutes(visible_requests(user))
        .select_related(
            "organisation",
            "contact_point",
            "provision__law",
            "case__household",
            "case__team",
            "plan",
            "created_by",
            "answered_by",
            "consent_recorded_by",
        )
        .prefetch_related("referrals")
        .get(pk=pk)
    )


def case_requests(user, case: Case) -> list[CooperationRequest]:
    """The case's requests the user may see, with their referrals, contacts and time spent,
    read once per page: the requests table and the timeline of the case page share them (three
    queries whatever the number of requests)."""
    memo = case.__dict__.setdefault("_cooperation_requests", {})
    if user.pk not in memo:
        memo[user.pk] = list(
            request_list(user, case=case)
            .select_related("created_by", "answered_by")
            .prefetch_related(
                Prefetch(
                    "contacts",
                    queryset=Contact.objects.select_related("created_by").order_by(
                        "occurred_on", "id"
                    ),
                )
            )
        )
    return memo[user.pk]


def case_timeline(user, case: Case) -> list[case_selectors.TimelineEntry]:
    """What happened to the case's requests, for the case timeline: sent, answered, each
    contact with its minutes, escalated, and the route's answer. Only requests the user sees."""
    entry = case_selectors.TimelineEntry
    entries = []
    for r in case_requests(user, case):
        url = reverse("cooperation:detail", args=[r.pk])
        org = r.organisation.name
        if r.sent_on:
            entries.append(
                entry(
                    day=r.sent_on,
                    at=r.created_at,
                    kind="request",
                    label=_("Request sent"),
                    text=_("%(org)s: %(question)s")
                    % {"org": org, "question": Truncator(r.question).chars(80)},
                    author=r.created_by,
                    url=url,
                )
            )
        if r.answered_on:
            entries.append(
                entry(
                    day=r.answered_on,
                    at=r.updated_at,
                    kind="request-answer",
                    label=_("Answer recorded"),
                    text=_("%(org)s: %(answer)s") % {"org": org, "answer": r.get_answer_display()},
                    author=r.answered_by,
                    url=url,
                )
            )
        for c in r.contacts.all():
            entries.append(
                entry(
                    day=c.occurred_on,
                    at=c.created_at,
                    kind="contact",
                    label=_("Contact logged"),
                    text=_("%(org)s: %(channel)s, %(minutes)s min")
                    % {"org": org, "channel": c.get_channel_display(), "minutes": c.minutes},
                    author=c.created_by,
                    url=url,
                )
            )
        for ref in r.referrals.all():
            if ref.status == ReferralStatus.DRAFT or ref.sent_on is None:
                continue
            ref_url = reverse("cooperation:referral", args=[ref.pk])
            entries.append(
                entry(
                    day=ref.sent_on,
                    at=ref.created_at,
                    kind="escalation",
                    label=_("Escalation sent"),
                    text=_("%(org)s → %(route)s") % {"org": org, "route": ref.get_route_display()},
                    author=ref.created_by,
                    url=ref_url,
                )
            )
            if ref.answered_on:
                entries.append(
                    entry(
                        day=ref.answered_on,
                        at=ref.updated_at,
                        kind="escalation-answer",
                        label=_("Escalation answered"),
                        text=_("%(route)s: %(answer)s")
                        % {"route": ref.get_route_display(), "answer": ref.get_answer_display()}
                        + (f" – {Truncator(ref.outcome).chars(120)}" if ref.outcome else ""),
                        author=ref.answered_by,
                        url=ref_url,
                    )
                )
    return entries


def contacts_of(request: CooperationRequest):
    return request.contacts.select_related("created_by").order_by("-occurred_on", "-id")


def may_write(user, request: CooperationRequest) -> bool:
    return case_selectors.may_write(user, request.case)


def may_write_case(user, case: Case) -> bool:
    """Whether the user may make requests on this case (its team's workers and team leads)."""
    return case_selectors.may_write(user, case)


def minutes_total(requests) -> int:
    """The minutes spent on `requests` (annotated by `request_list`)."""
    return sum(r.minutes_spent for r in requests)


def overdue_requests(user, today: datetime.date | None = None) -> QuerySet[CooperationRequest]:
    """Sent requests without an answer past their due date that wait for this user: those they
    made, and those of cases they work on, in teams where they write. Earliest due date first."""
    today = today or timezone.localdate()
    through = Case.assigned_workers.through
    assigned = Exists(through.objects.filter(case_id=OuterRef("case_id"), user_id=user.pk))
    # An escalation on its way: the task is then to record the route's answer, not to call again.
    pending = Referral.objects.filter(
        request_id=OuterRef("pk"), status=ReferralStatus.SENT
    ).order_by("-id")
    return (
        CooperationRequest.objects.filter(
            overdue_q(today), case__team_id__in=case_selectors.writable_team_ids(user)
        )
        .filter(Q(created_by=user) | assigned)
        .annotate(
            pending_referral_id=Subquery(pending.values("id")[:1]),
            pending_referral_to=Subquery(pending.values("to__name")[:1]),
        )
        .select_related("case__household", "organisation")
        .order_by("due_on", "id")
    )


# --- the directory ----------------------------------------------------------------------------


def directory(*, category: str = "") -> QuerySet[ExternalOrganisation]:
    """The organisations in the directory (accepted), with their active contact points."""
    qs = ExternalOrganisation.objects.filter(status=DirectoryStatus.ACTIVE)
    if category:
        qs = qs.filter(category=category)
    return qs.prefetch_related(
        _active_points(),
    ).order_by("category", "name")


def _active_points():
    return Prefetch(
        "contact_points",
        queryset=ContactPoint.objects.filter(active=True).order_by("department", "id"),
        to_attr="active_points",
    )


def organisation_detail(pk: int) -> ExternalOrganisation:
    return ExternalOrganisation.objects.prefetch_related(_active_points()).get(pk=pk)


def usable_organisations(team_id: int) -> QuerySet[ExternalOrganisation]:
    """Organisations a request of this team may go to: the accepted ones, and the ones this
    team suggested and the administrator has not decided on yet. Escalation routes take
    referrals, not requests."""
    return (
        ExternalOrganisation.objects.filter(
            Q(status=DirectoryStatus.ACTIVE)
            | Q(status=DirectoryStatus.SUGGESTED, suggested_by_team_id=team_id)
        )
        .exclude(category=DirectoryCategory.ESCALATION)
        .order_by("name")
    )


def is_usable(organisation: ExternalOrganisation, team_id: int) -> bool:
    return usable_organisations(team_id).filter(pk=organisation.pk).exists()


def contact_points_for(organisation_ids) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(organisation_id__in=organisation_ids, active=True)


def is_directory_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def pending_suggestions(user) -> QuerySet[ExternalOrganisation]:
    """Suggestions waiting for a functional administrator, oldest first."""
    if not is_directory_admin(user):
        return ExternalOrganisation.objects.none()
    return (
        ExternalOrganisation.objects.filter(status=DirectoryStatus.SUGGESTED)
        .select_related("suggested_by_team", "suggested_by")
        .order_by("created_at", "id")
    )


def suggesting_team_ids(user) -> list[int]:
    """Teams in which the user may suggest an organisation (where they write to cases)."""
    return sorted(case_selectors.writable_team_ids(user))


def own_suggestions(user) -> QuerySet[ExternalOrganisation]:
    """The suggestions of the user's teams, still open or decided, newest first."""
    team_ids = [m.team_id for m in memberships(user) if m.team_id]
    return (
        ExternalOrganisation.objects.filter(suggested_by_team_id__in=team_ids)
        .exclude(status=DirectoryStatus.ACTIVE, suggested_by_team__isnull=True)
        .select_related("suggested_by_team")
        .order_by("-created_at", "-id")
    )


# --- escalation beyond the organisation ----------------------------------------------------

# Organisations that carry out national rules: their cases may go to the Landelijk
# Maatwerkloket; everything else goes to the regional doorbraaktafel.
NATIONAL_TYPES = frozenset(
    {
        OrganisationType.TAX_ALLOWANCES,
        OrganisationType.UWV,
        OrganisationType.SVB,
        OrganisationType.CAK,
        OrganisationType.CJIB,
        OrganisationType.DUO,
    }
)
# Answers after which a request may be escalated (and "no answer by the due date": overdue).
ESCALATE_AFTER = frozenset({Answer.REFUSED, Answer.NONE})
# Referrals that count as "escalated" (a withdrawn or unsent one does not).
LIVE_REFERRALS = (ReferralStatus.SENT, ReferralStatus.ANSWERED)
# Who reads the figures per outside organisation: aggregates for policy and management.
FIGURE_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR})
# Fewer requests than core.small_numbers.SMALL_NUMBER: the organisation shows "< 5" and no
# derived figure (`is_small`, the one rule, shared with the follow-up cohorts).


# --- escalation: referrals of one case ----------------------------------------------------


def visible_referrals(user) -> QuerySet[Referral]:
    return Referral.objects.filter(request__case__team_id__in=case_team_ids(user))


def request_for_referral(user, pk: int) -> CooperationRequest:
    """A request the user may see, with what the escalation page shows; raises
    CooperationRequest.DoesNotExist otherwise (views answer 404)."""
    return (
        visible_requests(user)
        .select_related("case__team", "case__household", "organisation", "plan")
        .get(pk=pk)
    )


def referral_detail(user, pk: int) -> Referral:
    """A referral the user may see; raises Referral.DoesNotExist otherwise."""
    return (
        visible_referrals(user)
        .select_related(
            "request__case__team__organisation",
            "request__case__household",
            "request__organisation",
            "request__plan",
            "to",
            "created_by",
        )
        .get(pk=pk)
    )


def is_national(organisation: ExternalOrganisation) -> bool:
    return organisation.organisation_type in NATIONAL_TYPES


def allowed_routes(request: CooperationRequest) -> list[str]:
    """The routes open to this request: the doorbraaktafel always, the Landelijk Maatwerkloket
    only for the rules of national organisations."""
    routes = [ReferralRoute.BREAKTHROUGH_TABLE]
    if is_national(request.organisation):
        routes.append(ReferralRoute.NATIONAL_DESK)
    return routes


# There is one Landelijk Maatwerkloket: the directory's escalation route of that name. Every
# other escalation route in the directory is a regional doorbraaktafel.
NATIONAL_DESK_NAME = "Landelijk Maatwerkloket"


def addressee_route(organisation: ExternalOrganisation) -> str:
    """The route an escalation organisation of the directory takes referrals for."""
    if organisation.name.strip().casefold().startswith(NATIONAL_DESK_NAME.casefold()):
        return ReferralRoute.NATIONAL_DESK
    return ReferralRoute.BREAKTHROUGH_TABLE


def escalation_blocker(request: CooperationRequest, today: datetime.date | None = None) -> str:
    """Why this request cannot be escalated now (a code), or "" when it can: only a refused or
    overdue request on a plan, without a referral that waits for an answer or that a route
    agreed to."""
    if request.plan_id is None:
        return "no_plan"
    refused = request.status == CooperationRequest.Status.ANSWERED and (
        request.answer in ESCALATE_AFTER
    )
    # Past due counts even after a route refused: the other route may still be tried.
    if not (refused or request.is_past_due(today)):
        return "not_stuck"
    referrals = list(request.referrals.all())
    if any(r.status == ReferralStatus.SENT for r in referrals):
        return "referral_open"
    # After a route agreed (even partly) the case goes on; after a refusal the other route
    # may still be tried.
    if any(r.answer in (Answer.AGREED, Answer.PARTLY) for r in referrals):
        return "route_agreed"
    return ""


def escalation_routes() -> QuerySet[ExternalOrganisation]:
    """The directory's escalation routes a referral may be addressed to."""
    return ExternalOrganisation.objects.filter(
        category=DirectoryCategory.ESCALATION, status=DirectoryStatus.ACTIVE
    ).order_by("name")


def plan_referrals(plan: Plan) -> list[Referral]:
    """The referrals of a plan's requests (oldest first), for the plan's decision trail. The
    caller already holds the plan, so the access rule is the plan's."""
    return list(
        Referral.objects.filter(request__plan=plan)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("request__organisation", "to", "created_by")
        .order_by("created_at", "id")
    )


def escalatable_requests(plan: Plan, today: datetime.date | None = None) -> list:
    """The plan's requests that are refused or overdue and may be escalated now."""
    requests = (
        CooperationRequest.objects.filter(plan=plan)
        .select_related("organisation")
        .prefetch_related("referrals")
        .order_by("due_on", "id")
    )
    return [r for r in requests if not escalation_blocker(r, today)]


# --- the referral document --------------------------------------------------------------------


@dataclass(frozen=True)
class ContactLine:
    occurred_on: datetime.date
    channel: str
    minutes: int


@dataclass
class ReferralDocument:
    """Exactly what the referral document holds, and nothing else: no BSN, no birth date, no
    address, no names of residents (not even initials: the route judges the collision of rules,
    and once it takes the case it reaches the resident through the team, with the resident's
    consent). The household's reference stays out too: the referral's number is enough for the
    route to answer the team."""

    referral: Referral
    organisation_name: str  # the deploying organisation (sender)
    team_name: str
    contact_person: str  # the worker who escalates: the route's contact at the team
    contact_email: str  # how the route reaches them (their work address), or ""
    obstacles: list[dict]
    solution: str
    amount_requested: Decimal | None
    provisions: list[dict]
    goal: str
    agreement: str
    agreement_date: datetime.date | None
    result: object | None  # costs engine Result, or None when the plan has no calculation
    request: CooperationRequest
    contacts: list[ContactLine] = field(default_factory=list)
    minutes_total: int = 0


def referral_document(user, referral: Referral) -> ReferralDocument:
    """The data of the referral document (HTML preview and PDF) of a referral the user sees."""
    request = referral.request
    plan = plan_selectors.with_details(Plan.objects.filter(pk=request.plan_id)).get()
    outcome, _problems = plan_selectors.outcome(user, plan)
    obstacles = [
        {
            "rule": o.rule_name,
            "applied_by": o.get_applied_by_display(),
            "effect": o.effect,
        }
        for o in plan.obstacles.all()
    ]
    provisions = [
        {"provision": str(pp.provision), "explanation": pp.explanation}
        for pp in plan.plan_provisions.all()
    ]
    contacts = [
        ContactLine(c.occurred_on, c.get_channel_display(), c.minutes)
        for c in Contact.objects.filter(request=request).order_by("occurred_on", "id")
    ]
    author = referral.created_by
    return ReferralDocument(
        referral=referral,
        organisation_name=request.case.team.organisation.name,
        team_name=request.case.team.name,
        contact_person=author.get_full_name() or author.username,
        contact_email=author.email,
        obstacles=obstacles,
        solution=plan.solution,
        amount_requested=plan.amount_requested,
        provisions=provisions,
        goal=request.case.goal,
        agreement=plan.get_agreement_display(),
        agreement_date=plan.agreement_date,
        result=outcome.result if outcome else None,
        request=request,
        contacts=contacts,
        minutes_total=sum(c.minutes for c in contacts),
    )


# --- figures per outside organisation ---------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFigures:
    """One outside organisation's figures; with fewer than SMALL_NUMBER requests only `small`
    is shown (the page says "< 5") and every other figure is None."""

    organisation_id: int
    name: str
    small: bool
    requests: int | None
    agreed: int | None = None  # answered "agreed"
    answered: int | None = None  # answered at all (the whole of the share agreed)
    agreed_share: Decimal | None = None  # percentage of the answered requests, 0..100
    refused: int | None = None
    overdue: int | None = None
    waiting: int | None = None  # sent, no answer yet, still within its term
    escalated: int | None = None
    escalated_agreed: int | None = None  # of the escalated: the route's answer was "agreed"
    median_days: Decimal | None = None  # from sent to answer, over the answered requests
    minutes: int | None = None  # the teams' contact time
    rules: tuple[str, ...] = ()  # the catalogue's blocking rules behind its requests


# The periods the figures page offers, by the request's sent date: GET value → months back
# (None: all requests). Twelve months by default: recent enough to act on, enough to count.
FIGURE_PERIODS: dict[str, int | None] = {"3": 3, "6": 6, "12": 12, "alle": None}
DEFAULT_FIGURE_PERIOD = "12"


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier, or that month's last day when it is
    shorter (31 May − 3 months → 28/29 February)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def figure_period_start(period: str, today: datetime.date) -> datetime.date | None:
    """The first sent date the period counts (None: from the beginning)."""
    months = FIGURE_PERIODS.get(period, FIGURE_PERIODS[DEFAULT_FIGURE_PERIOD])
    return None if months is None else months_before(today, months)


def figure_organisation_ids(user) -> frozenset[int]:
    """The deploying organisations whose figures the user reads (never another's)."""
    return frozenset(m.organisation_id for m in memberships(user) if m.role in FIGURE_ROLES)


def _percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def organisation_figures(
    user, today: datetime.date | None = None, since: datetime.date | None = None
) -> list[OrganisationFigures]:
    """Per outside organisation (never per worker or team) the requests the user's
    organisation's teams sent (on or after `since`, when given): how many, the share agreed,
    refused, overdue, still waiting, escalated (and of those, agreed on escalation), the median
    days to an answer and the time the teams spent, with the blocking rules behind them.

    Sent and answered requests count (a draft or a withdrawn one was never asked). A fixed
    handful of queries whatever the number of requests or organisations; the counting is done
    here, in Python, the same on SQLite and PostgreSQL."""
    today = today or timezone.localdate()
    asked = CooperationRequest.objects.filter(
        case__team__organisation_id__in=figure_organisation_ids(user),
        status__in=[CooperationRequest.Status.SENT, CooperationRequest.Status.ANSWERED],
    )
    if since is not None:
        asked = asked.filter(sent_on__gte=since)
    requests = list(
        asked.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "plan__obstacles",
                queryset=Obstacle.objects.filter(blocking_rule__isnull=False).select_related(
                    "blocking_rule"
                ),
            )
        )
        .only("id", "status", "answer", "sent_on", "answered_on", "due_on", "plan", "organisation")
    )
    ids = [r.pk for r in requests]
    minutes = dict(
        Contact.objects.filter(request_id__in=ids)
        .values_list("request_id")
        .annotate(total=Sum("minutes"))
        .values_list("request_id", "total")
    )
    escalated: dict[int, bool] = {}  # request → one of its live referrals was agreed
    for request_id, answer in Referral.objects.filter(
        request_id__in=ids, status__in=LIVE_REFERRALS
    ).values_list("request_id", "answer"):
        escalated[request_id] = escalated.get(request_id, False) or answer == Answer.AGREED
    overdue = set(
        CooperationRequest.objects.filter(overdue_q(today), pk__in=ids).values_list("pk", flat=True)
    )
    by_org: dict[int, list[CooperationRequest]] = defaultdict(list)
    for r in requests:
        by_org[r.organisation_id].append(r)
    rows = []
    for org_requests in by_org.values():
        org = org_requests[0].organisation
        n = len(org_requests)
        if is_small(n):
            rows.append(OrganisationFigures(org.pk, org.name, True, None))
            continue
        answered = [r for r in org_requests if r.status == CooperationRequest.Status.ANSWERED]
        agreed = sum(r.answer == Answer.AGREED for r in answered)
        days = [
            (r.answered_on - r.sent_on).days
            for r in answered
            if r.answer != Answer.NONE and r.answered_on and r.sent_on
        ]
        rules = Counter(
            o.blocking_rule.name for r in org_requests if r.plan_id for o in r.plan.obstacles.all()
        )
        rows.append(
            OrganisationFigures(
                organisation_id=org.pk,
                name=org.name,
                small=False,
                requests=n,
                agreed=agreed,
                answered=len(answered),
                agreed_share=_percentage(agreed, len(answered)),
                refused=sum(r.answer == Answer.REFUSED for r in answered),
                overdue=sum(r.pk in overdue for r in org_requests),
                # Still within its term: one past due is overdue, or settled by an escalation.
                waiting=sum(
                    r.status == CooperationRequest.Status.SENT and not r.is_past_due(today)
                    for r in org_requests
                ),
                escalated=sum(r.pk in escalated for r in org_requests),
                escalated_agreed=sum(escalated.get(r.pk, False) for r in org_requests),
                median_days=_one_decimal(statistics.median(days)) if days else None,
                minutes=sum(minutes.get(r.pk, 0) or 0 for r in org_requests),
                rules=tuple(name for name, _n in rules.most_common(3)),
            )
        )
    # The organisations the teams keep having to move come first.
    rows.sort(key=lambda f: (f.small, -(f.requests or 0), f.name))
    return rows
