"""Walks every URL of the project, with every method it accepts, for every role, against objects
of the own team, another team of the same organisation and another organisation.

URLs are collected from the resolver, so a new URL is covered (or fails loudly until its
access rule is written down in tests/access_matrix.py, whose docstring explains the rows).

The world is built once per module through the services (users, cases, obstacles, plans,
decisions, ledger entries), and every role logs in once through the real login page and the
real TOTP check with MAATWERK_REQUIRE_2FA on. Each probe then runs in its own rolled-back
transaction with a fresh client carrying that role's session cookie.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.accounts.roles import PERSONAL_DATA_ROLES, TEAM_ROLES, Role
from maatwerk.audit.models import AuditEvent

from . import access_matrix as M
from .factories import PASSWORD, TeamFactory, user_with_role

SECRET_NAME = "Geheimnaam"
TEAM_SCOPED = {
    "case", "plan", "submitted_plan", "budget", "obstacle", "cooperation_request",
    "escalatable_request", "referral", "followup", "signal", "collective_approach", "resident",
    "approved_plan", "draft_example", "proposed_example",
}  # fmt: skip
WRITES = ("POST", "PUT", "PATCH", "DELETE")
API_PREFIX = "/api/"


# --- the URLs ---------------------------------------------------------------------------------


def _collect(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _collect(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _patterns() -> dict:
    found: dict = {}
    for name, pattern in _collect(get_resolver().url_patterns):
        found.setdefault(name, pattern)
    return found


PATTERNS = _patterns()


def all_url_names() -> list[str]:
    return sorted(PATTERNS)


def _rule_for(name):
    if name in M.RULES:
        return M.RULES[name]
    for prefix, roles in M.PREFIX_RULES.items():
        if name.startswith(prefix):
            return roles, "prefix"
    return None


def _options(name) -> dict:
    row = M.RULES[name]
    return row[2] if len(row) > 2 else {}


def _methods(name) -> tuple[str, ...]:
    """The methods a URL accepts: DRF views say so themselves; pages get GET and POST."""
    if "methods" in _options(name):
        return tuple(_options(name)["methods"])
    callback = PATTERNS[name].callback
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(m.upper() for m in actions if m not in ("head", "options"))
    cls = getattr(callback, "cls", None)
    if cls is not None:
        names = [m for m in cls.http_method_names if m not in ("head", "options", "trace")]
        return tuple(m.upper() for m in names if hasattr(cls, m))
    return ("GET", "POST")


def _is_api(name) -> bool:
    return hasattr(PATTERNS[name].callback, "cls")


def test_every_url_has_an_access_rule():
    missing = [name for name in all_url_names() if _rule_for(name) is None]
    assert not missing, f"URLs without an access rule in tests/access_matrix.py: {missing}"


# --- what each probe must see -----------------------------------------------------------------

ROLES = [*list(Role), None]  # None = not logged in


def _scopes(kind) -> tuple[str, ...]:
    if kind is None:
        return ("-",)
    if kind in TEAM_SCOPED:
        return ("own", "team2", "org2")
    if kind == "cost_item":
        return ("shared", "own", "org2")
    return ("shared",)


def _method_rule(name, method) -> tuple[object, bool]:
    """(who, strict) for `method` on `name`; strict = the allowed roles must reach the view."""
    who, _kind = M.RULES[name][:2]
    opts = _options(name)
    if method == "GET":
        return who, True
    if method in opts:
        return opts[method], True
    if who == M.API_POST_ONLY:
        return M.AUTHENTICATED, False
    if who == M.API_CASE_POST_ONLY:
        return M.CASE_ROLES, False
    if who == M.POST_ONLY:
        return "unstated", False
    return who, False


def _allowed_roles(who) -> frozenset:
    if who in (M.PUBLIC, M.AUTHENTICATED, "unstated"):
        return frozenset(Role)
    if isinstance(who, str):
        return frozenset()
    return frozenset(who)


def expected(name, method, role, scope) -> str:
    """One of allow, deny, login, 405, any."""
    who, strict = _method_rule(name, method)
    kind = M.RULES[name][1]
    if who == M.PUBLIC:
        return "allow" if strict else "any"
    if method == "GET" and who in (M.POST_ONLY, M.API_POST_ONLY, M.API_CASE_POST_ONLY):
        if who == M.POST_ONLY:
            return "405"
        if role is None:
            return "login"
        if who == M.API_CASE_POST_ONLY and role not in M.CASE_ROLES:
            return "deny"
        return "405"
    if role is None:
        return "login"
    if scope == "org2":
        return "deny"
    if who == "unstated":
        return "any"
    allowed = _allowed_roles(who)
    if role not in allowed:
        return "deny"
    if scope == "team2" and kind in TEAM_SCOPED:
        team2 = _options(name).get("team2")
        reach = allowed - TEAM_ROLES if team2 is None else frozenset(team2)
        if role not in reach:
            return "deny"
    return "allow" if strict else "allow_or_405"


def _probes():
    for name in all_url_names():
        if name.startswith("admin:"):
            continue
        kind = M.RULES[name][1]
        for method in _methods(name):
            for role in ROLES:
                scopes = _scopes(kind)
                for scope in scopes[:1] if role is None else scopes:
                    yield pytest.param(
                        name, method, role, scope, id=f"{name}-{method}-{role or 'anon'}-{scope}"
                    )


PROBES = list(_probes())


# --- the world, built once --------------------------------------------------------------------

YEAR = date.today().year


def _resident(n):
    return {
        "first_name": SECRET_NAME,
        "last_name": f"Bewoner{n}",
        "birth_date": date(1990, 5, 17),
        "is_contact": True,
    }


def _complete_plan(worker, case, obstacle, amount="1000"):
    from maatwerk.costs.models import CostItem
    from maatwerk.plans import selectors as plan_selectors
    from maatwerk.plans import services as plans

    today = timezone.localdate()
    plan = plans.create_plan(
        worker,
        case,
        [obstacle],
        solution="Kinderopvang een jaar betalen zodat zij haar baan houdt.",
        solution_kind="payment_of_cost",
        by_whom="Wijkteam",
        when=today + timedelta(days=30),
        amount_requested=Decimal(amount),
        form="payment",
        payee="Kinderopvang De Zon",
    )
    plans.record_agreement(
        worker,
        plan,
        resident_words="Dan kan ik blijven werken.",
        agreement="yes",
        agreement_date=today,
        agreement_how="in_person",
    )
    provision = plan_selectors.suggested_provisions(plan)[0]
    plans.set_provisions(worker, plan, [(provision, "Ruimte voor maatwerk")])
    line = {"quantity": Decimal(1), "start_month": 0, "probability": Decimal(1)}
    item = CostItem.objects.get(code="PW-NORM-1P")
    standard = {
        **line,
        "cost_item_id": item.pk,
        "label": "",
        "amount": Decimal(1000),
        "unit": "",
        "bearer": "",
        "cost_type": "",
        "duration_months": 12,
    }
    tailored = {
        **line,
        "cost_item_id": None,
        "label": "Kinderopvang betalen",
        "amount": Decimal(amount),
        "unit": "per_event",
        "bearer": "municipality",
        "cost_type": "fiscal",
        "duration_months": None,
    }
    plans.set_scenarios(
        worker, plan, standard=[standard], tailored=[tailored], horizon_months=12,
        discount_rate=Decimal(0), price_year=YEAR,
    )  # fmt: skip
    return plan


def _team_objects(team, worker, lead, admin_user):
    """A case with its obstacles and plans in `team`, made the way people make them."""
    from maatwerk.cases import services as cases
    from maatwerk.decisions import services as decisions
    from maatwerk.decisions.models import Budget, LedgerEntry
    from maatwerk.legal.models import BlockingRule

    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    case = cases.create_household_with_case(
        actor=worker, team=team, residents=[_resident(team.pk)], title="Huurachterstand",
        goal="In mijn huis blijven wonen.", neighbourhood_code="WK999001",
    )  # fmt: skip
    obstacle = cases.add_obstacle(
        actor=worker, case=case, blocking_rule=rule, applied_by="tax_allowances",
        effect="Kinderopvangtoeslag verrekend; zij moet stoppen met werken.",
    )  # fmt: skip
    new_rule = cases.add_obstacle(
        actor=worker, case=case, description_new_rule="Bijzondere bijstand telt als inkomen.",
        applied_by="municipality", effect="Schuld blijft groeien.",
    )  # fmt: skip
    # A functional administrator sets up the team's budget in the admin.
    budget = Budget.objects.create(
        organisation=team.organisation, team=team, year=YEAR, amount=Decimal("20000")
    )
    draft = _complete_plan(worker, case, obstacle)
    submitted = _complete_plan(worker, case, obstacle)
    decisions.submit_plan(worker, submitted)
    approved = _complete_plan(worker, case, obstacle)
    decisions.submit_plan(worker, approved)
    decisions.approve(lead, approved, reason="Akkoord")
    commitment = LedgerEntry.objects.get(plan=approved, kind=LedgerEntry.Kind.COMMITMENT)
    from maatwerk.cooperation import services as cooperation
    from maatwerk.cooperation.models import ExternalOrganisation

    cooperation_request = cooperation.create_request(
        worker, case=case, plan=approved, question="Stop de verrekening.",
        organisation=ExternalOrganisation.objects.get(name="Belastingdienst/Toeslagen"),
        consent_on=timezone.localdate(), consent_scope="Naam en beschikking",
    )  # fmt: skip
    cooperation.add_contact(worker, cooperation_request, channel="phone", minutes=15)
    from maatwerk.followup.models import FollowUp
    from maatwerk.signals import services as signals

    # "Dit komt vaker voor" on the new rule: a signal of the organisation, fed by this team.
    signal = signals.raise_signal(
        worker, obstacle=new_rule, title="Bijstand telt als inkomen", summary="Komt vaker voor.",
        owner_kind="department", owner_name="Werk en Inkomen",
    )  # fmt: skip
    from maatwerk.decisions.models import CollectiveApproach

    approach = decisions.start_collective_approach(
        lead, team=team, name="Inloop toeslagen", kind=CollectiveApproach.Kind.GROUP_ACTIVITY,
        neighbourhood_code="WK999001", life_domain="income", blocking_rule=rule,
        amount=Decimal("500"),
    )  # fmt: skip
    from maatwerk.library import services as library

    # The library: a draft and a proposed example, each from an approved plan of its own (one
    # plan gives one example at a time; the team's own). `approved` stays free to propose from.
    sources = []
    for _n in range(2):
        source = _complete_plan(worker, case, obstacle)
        decisions.submit_plan(worker, source)
        decisions.approve(lead, source, reason="Akkoord")
        sources.append(source)
    draft_example = library.propose_example(sources[0], worker, "Opvang", "Opvang betaald.", "")
    proposed_example = library.submit_example(
        library.propose_example(sources[1], worker, "Opvang 2", "Opvang betaald.", ""), worker
    )
    return {
        "approved_plan": approved,
        "draft_example": draft_example,
        "proposed_example": proposed_example,
        "collective_approach": approach,
        "signal": signal,
        "cooperation_request": cooperation_request,
        # Approval scheduled the plan's follow-ups; the first is due today.
        "followup": FollowUp.objects.get(plan=approved, moment="end_of_action"),
        **_referral_objects(worker, approved),
        "case": case,
        "resident": case.household.residents.first(),
        "obstacle": new_rule,
        "rule_obstacle": obstacle,
        "plan": draft,
        "submitted_plan": submitted,
        "budget": budget,
        "commitment": commitment,
    }


def _referral_objects(worker, plan):
    """Two overdue requests to Toeslagen on an approved plan: one still to escalate, one
    escalated to the Landelijk Maatwerkloket (its referral waits for an answer). The requests
    go through the request services (consent recorded, sent 30 days ago, due 14 days later),
    the referral through the escalation service."""
    from maatwerk.cooperation import services as cooperation
    from maatwerk.cooperation.models import ExternalOrganisation

    toeslagen, _created = ExternalOrganisation.objects.get_or_create(
        name="Belastingdienst/Toeslagen", defaults={"organisation_type": "tax_allowances"}
    )
    sent_on = timezone.localdate() - timedelta(days=30)
    requests = [
        cooperation.create_request(
            worker,
            case=plan.case,
            plan=plan,
            organisation=toeslagen,
            question="Stop de verrekening.",
            consent_on=sent_on,
            consent_scope="De verrekening.",
            send=True,
            sent_on=sent_on,
            due_on=sent_on + timedelta(days=14),
        )
        for _ in range(2)
    ]
    referral = cooperation.escalate(
        worker, requests[1], route="national_desk", reason="Geen antwoord binnen de termijn."
    )
    return {"escalatable_request": requests[0], "referral": referral}


def _local_item(admin_user, code):
    from maatwerk.costs import services as costs

    return costs.add_local_item(
        actor=admin_user, organisation_id=admin_user.organisation_id, code=code,
        name_nl="Lokale regeling", name_en="Local scheme", description="Test",
        life_domain="income", unit="per_month", bearer="municipality", cost_type="fiscal",
        amount=Decimal("50"), price_date=date(YEAR - 1, 1, 1), grade="B",
        source_title="Raadsbesluit", source_url="https://example.org/besluit",
    )  # fmt: skip


def _decision_settings(*organisations):
    """What a functional administrator sets in the admin, equal to the defaults (so routing
    stays as it was), so that every admin page has an object of each organisation."""
    from maatwerk.decisions.models import EscalationLevel, MandateSetting, PeerRule
    from maatwerk.decisions.selectors import DEFAULT_LADDER, DEFAULT_MANDATES

    for organisation in organisations:
        for mandate in DEFAULT_MANDATES.values():
            MandateSetting.objects.create(
                organisation=organisation, role=mandate.role, amount=mandate.amount
            )
        for level in DEFAULT_LADDER:
            EscalationLevel.objects.create(
                organisation=organisation, position=level.position, role=level.role,
                deadline_working_days=level.deadline_working_days,
            )  # fmt: skip
        PeerRule.objects.create(organisation=organisation, limit=Decimal(100), peers_required=3)


def _log_in(user) -> str:
    """The session key after the real login page (and the real TOTP check when required)."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {user} failed"
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post(
            reverse("accounts:otp_verify"), {"token": f"{code:0{device.digits}d}"}
        )
        assert response.status_code == 302, f"second factor of {user} failed"
    assert client.get(reverse("home")).status_code == 200
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _build_world() -> dict:
    from maatwerk.costs.models import CostItem
    from maatwerk.legal.models import BlockingRule, Provision

    team_a = TeamFactory(name="Wijkteam A")
    team_a2 = TeamFactory(name="Wijkteam A2", organisation=team_a.organisation)
    team_b = TeamFactory(name="Wijkteam B")
    users = {role: user_with_role(role, team_a) for role in Role}
    for role, user in users.items():
        if role in PERSONAL_DATA_ROLES:  # the state the set-up page leaves behind
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    # The functional administrator holds every permission of the admin's models (no superuser).
    registered = [
        ContentType.objects.get_for_model(m, for_concrete_model=False) for m in admin.site._registry
    ]
    users[Role.ADMIN].user_permissions.set(Permission.objects.filter(content_type__in=registered))
    admin_b = user_with_role(Role.ADMIN, team_b)
    # Routing needs configured mandates (no silent defaults), so the admin sets them first.
    _decision_settings(team_a.organisation, team_b.organisation)
    # The shared directory of outside organisations, kept by the functional administrator.
    from maatwerk.cooperation import services as cooperation

    toeslagen = cooperation.save_organisation(
        users[Role.ADMIN], name="Belastingdienst/Toeslagen", organisation_type="tax_allowances",
        category="cooperation",
    )  # fmt: skip
    contact_point = cooperation.save_contact_point(
        users[Role.ADMIN], toeslagen, department="BelastingTelefoon", channel="phone"
    )
    suggestion = cooperation.suggest_organisation(
        users[Role.WORKER], team=team_a, name="Stichting Voorstel", organisation_type="other"
    )
    objects = {
        "own": _team_objects(team_a, users[Role.WORKER], users[Role.TEAM_LEAD], users[Role.ADMIN]),
        "team2": _team_objects(
            team_a2,
            user_with_role(Role.WORKER, team_a2),
            user_with_role(Role.TEAM_LEAD, team_a2),
            users[Role.ADMIN],
        ),
        "org2": _team_objects(
            team_b,
            user_with_role(Role.WORKER, team_b),
            user_with_role(Role.TEAM_LEAD, team_b),
            admin_b,
        ),
    }
    objects["own"]["cost_item"] = _local_item(users[Role.ADMIN], "LOKAAL-A")
    objects["org2"]["cost_item"] = _local_item(admin_b, "LOKAAL-B")
    objects["shared"] = {
        "cost_item": CostItem.objects.filter(organisation__isnull=True).order_by("pk").first(),
        "provision": Provision.objects.order_by("pk").first(),
        "blocking_rule": BlockingRule.objects.order_by("pk").first(),
        "external_organisation": toeslagen,
        "contact_point": contact_point,
        "suggestion": suggestion,
        "organisation": team_a.organisation,
    }
    _partner, partner_secret, signal = _partner_with_signal(users[Role.ADMIN], team_a)
    objects["shared"]["early_signal"] = signal
    # An approved example: the library shares it with every organisation of the deployment.
    from maatwerk.decisions import services as decisions
    from maatwerk.library import services as library

    # From a plan of its own: one plan gives one example at a time.
    approved = objects["own"]["approved_plan"]
    source = _complete_plan(users[Role.WORKER], approved.case, approved.obstacles.first())
    decisions.submit_plan(users[Role.WORKER], source)
    decisions.approve(users[Role.TEAM_LEAD], source, reason="Akkoord")
    example = library.submit_example(
        library.propose_example(source, users[Role.WORKER], "Gedeeld", "Opvang betaald.", ""),
        users[Role.WORKER],
    )
    objects["shared"]["example"] = library.approve_example(example, users[Role.TEAM_LEAD])
    sessions = {role: _log_in(user) for role, user in users.items()}
    return {
        "partner_secret": partner_secret,
        "users": users,
        "teams": {"own": team_a, "team2": team_a2, "org2": team_b},
        "objects": objects,
        "sessions": sessions,
        "admin_b": admin_b,
    }


def _partner_with_signal(admin_user, team):
    """A rent partner of the organisation, its token, and one signal it sent."""
    from maatwerk.api import services as api_services
    from maatwerk.partners import services as partners

    partner = partners.create_partner(
        actor=admin_user, organisation=team.organisation, name="Woonstichting", type="Huur"
    )
    secret = api_services.issue_token(actor=admin_user, client=partner.api_client)[1]
    [outcome] = partners.receive(partner=partner, signals=[{
        "partner_signal_id": "M-1", "kind": "vroeg", "amount": 800, "signal_date": date.today(),
        "rent": {"reminder_date": date.today(), "personal_contact_sought": True,
                 "pointed_to_debt_help": True, "no_objection": True},
        "postcode": "8881AB", "house_number": 3, "birth_date": date(1980, 1, 1),
    }])  # fmt: skip
    return partner, secret, outcome.signal


@pytest.fixture(scope="module")
def mw(django_db_setup, django_db_blocker):
    """The matrix world: built in one outer transaction that is rolled back after the module."""
    overrides = override_settings(
        REQUIRE_2FA=True,
        LANGUAGE_CODE="nl",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    # Rendering PDFs costs a second each; the matrix is about who gets one, not its pages.
    import weasyprint

    pdf = pytest.MonkeyPatch()
    pdf.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 matrix")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            overrides.disable()
            pdf.undo()
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    overrides.disable()
    pdf.undo()


def _client(mw, role) -> Client:
    client = Client()
    if role is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = mw["sessions"][role]
    return client


def _object(mw, kind, scope):
    try:
        return mw["objects"][scope][kind]
    except KeyError:
        raise LookupError(
            f"The matrix world has no {kind!r} object ({scope}): build one in _team_objects "
            "or _build_world of tests/test_access_matrix.py"
        ) from None


def _url(name, kind, mw, scope) -> str:
    if kind is None:
        return reverse(name)
    if kind == "early_signal":
        return reverse(name, kwargs={"public_id": _object(mw, kind, scope).public_id})
    return reverse(name, kwargs={"pk": _object(mw, kind, scope).pk})


# --- bodies for writes: valid, so that a missing check would really write ---------------------


def _today() -> str:
    return timezone.localdate().isoformat()


def _consultation(mw, scope) -> dict:
    return {
        "date": _today(),
        "participants": "Wijkteam, schuldhulp",
        "question": "Kan de kinderopvang betaald worden?",
        "advice": "Ja, tijdelijk.",
        "decided_with_it": "",
    }


def _resident_api(mw, scope) -> dict:
    r = _resident(0)
    return {**r, "birth_date": r["birth_date"].isoformat()}


def _cooperation_request(mw) -> dict:
    return {
        "organisation": _object(mw, "external_organisation", "shared").pk,
        "question": "Stop de verrekening van de kinderopvangtoeslag.",
        "consent_on": _today(),
        "consent_scope": "Naam en beschikking",
    }


PAYLOADS = {
    "privacy:access_search": lambda mw, s: {"bsn": "999000019", "received_on": _today()},
    "privacy:access_person": lambda mw, s: {
        "kind": "restriction",
        "received_on": _today(),
        "note": "Bezwaar",
    },
    "privacy:destruction_request": lambda mw, s: {"ground": "avg_17", "requested_on": _today()},
    "signals:record_activity": lambda mw, s: {
        "day": _today(),
        "note": "Bijeenkomst gehouden",
        "status": "running",
        "amount": "100",
    },
    "cases:add_note": lambda mw, s: {"kind": "note", "happened_on": _today(), "text": "Gesprek"},
    "cases:add_obstacle": lambda mw, s: {
        "blocking_rule": str(_object(mw, "rule_obstacle", "own").blocking_rule_id),
        "applied_by": "tax_allowances",
        "effect": "Toeslag verrekend.",
    },
    "case-obstacles": lambda mw, s: {
        "blocking_rule": _object(mw, "rule_obstacle", "own").blocking_rule_id,
        "applied_by": "tax_allowances",
        "effect": "Toeslag verrekend.",
    },
    "case-list": lambda mw, s: {
        "team": mw["teams"]["own"].pk,
        "title": "Nieuwe casus",
        "goal": "Rust",
        "residents": [_resident_api(mw, s)],
    },
    "plans:new": lambda mw, s: {
        "obstacles": [str(_object(mw, "rule_obstacle", s).pk)],
        "solution": "Kinderopvang betalen zodat zij haar baan houdt.",
        "by_whom": "Wijkteam",
        "when": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "amount_requested": "1000",
        "form": "payment",
        "payee": "Kinderopvang De Zon",
    },
    "plan-list": lambda mw, s: {
        "case": _object(mw, "case", "own").pk,
        "obstacles": [_object(mw, "rule_obstacle", "own").pk],
        "solution": "Kinderopvang betalen zodat zij haar baan houdt.",
    },
    "plan-detail": lambda mw, s: {"solution": "Een andere oplossing die ook werkt."},
    "cooperation:new_for_case": lambda mw, s: _cooperation_request(mw),
    "cooperation:new_for_plan": lambda mw, s: _cooperation_request(mw),
    "cooperation:consent": lambda mw, s: {"consent_on": _today(), "consent_scope": "Naam"},
    "cooperation:send": lambda mw, s: {"sent_on": _today()},
    "cooperation:add_contact": lambda mw, s: {
        "channel": "phone",
        "minutes": "10",
        "occurred_on": _today(),
    },
    "cooperation:answer": lambda mw, s: {"answer": "agreed", "answered_on": _today()},
    "cooperation:due_date": lambda mw, s: {
        "due_on": (timezone.localdate() + timedelta(days=30)).isoformat()
    },
    "cooperation:suggest": lambda mw, s: {
        "team": mw["teams"]["own"].pk,
        "name": "Nieuwe partner",
        "organisation_type": "other",
    },
    "cooperation:decide_suggestion": lambda mw, s: {"accept": "yes"},
    "cooperation:new_organisation": lambda mw, s: {
        "name": "Nieuwe organisatie",
        "organisation_type": "other",
        "category": "cooperation",
    },
    "cooperation:edit_organisation": lambda mw, s: {
        "name": "Belastingdienst/Toeslagen",
        "organisation_type": "tax_allowances",
        "category": "cooperation",
        "website": "https://www.belastingdienst.nl",
    },
    "cooperation:add_contact_point": lambda mw, s: {"department": "Loket", "channel": "phone"},
    "cooperation:edit_contact_point": lambda mw, s: {
        "department": "BelastingTelefoon",
        "channel": "phone",
        "phone": "0800 0543",
    },
    "cooperation-request-list": lambda mw, s: {
        **_cooperation_request(mw),
        "case": _object(mw, "case", "own").pk,
        "send": True,
    },
    "cooperation-request-consent": lambda mw, s: {"consent_on": _today(), "consent_scope": "Naam"},
    "cooperation-request-answer": lambda mw, s: {"answer": "agreed"},
    "cooperation-request-contacts": lambda mw, s: {"channel": "phone", "minutes": 10},
    "cooperation-request-escalate": lambda mw, s: {
        "route": "national_desk",
        "reason": "Geen antwoord.",
    },
    "decisions:decide": lambda mw, s: {
        "action": "approve",
        "reason": "Akkoord",
        "confirmed": "True",
    },
    "decision-decide": lambda mw, s: {"action": "approve", "reason": "Akkoord"},
    "decisions:consult": _consultation,
    "decision-consult": _consultation,
    "decisions:peer_vote": lambda mw, s: {"approve": "yes"},
    "cooperation:escalate": lambda mw, s: {"route": "national_desk", "reason": "Geen antwoord."},
    "cooperation:referral_answer": lambda mw, s: {
        "answer": "agreed",
        "outcome": "De verrekening stopt.",
    },
    "followup:record": lambda mw, s: {
        "measured": "yes",
        "recorded_on": _today(),
        "still_in_work": "on",
        "still_in_work_since": _today(),
    },
    "followup:carried_out": lambda mw, s: {"carried_out_on": _today()},
    "followup:pilot_light": lambda mw, s: {"action": "start", "interval_months": "3"},
    "followup:moments": lambda mw, s: {"first": "6", "second": "12", "grace_days": "14"},
    "followup-carried-out": lambda mw, s: {"carried_out_on": _today()},
    "followup-record": lambda mw, s: {
        "measured": "yes",
        "outcomes": [{"code": "still_in_work", "holds_since": _today()}],
    },
    "decisions:budget": lambda mw, s: {
        "entry": str(_object(mw, "commitment", s).pk),
        "action": "payment",
        "amount": "10,00",
        "payee": "Kinderopvang De Zon",
    },
}


def _body(name, mw, scope) -> dict:
    data = _options(name).get("data", name)
    if isinstance(data, dict):
        return data
    builder = PAYLOADS.get(data)
    return builder(mw, scope) if builder else {}


def _send(client, method, url, name, body):
    if _is_api(name):
        if method == "GET":
            return client.get(url)
        return client.generic(
            method,
            url,
            data=__import__("json").dumps(body),
            content_type="application/json",
        )
    if method == "GET":
        return client.get(url)
    return client.post(url, body)


# --- nothing changes on a denied write --------------------------------------------------------

COUNTED = [
    "cases.Household", "cases.Resident", "cases.Case", "cases.CaseNote", "cases.Obstacle",
    "plans.Plan", "plans.PlanProvision", "plans.ScenarioLine", "plans.CalculationSnapshot",
    "decisions.Decision", "decisions.Consultation", "decisions.PeerVote",
    "decisions.LedgerEntry", "decisions.Budget", "costs.CostItem", "costs.CostItemVersion",
    "costs.CostItemRetirement", "legal.Provision", "legal.BlockingRule", "accounts.User",
    "accounts.Membership", "cooperation.ExternalOrganisation", "cooperation.ContactPoint",
    "cooperation.CooperationRequest", "cooperation.Contact", "partners.Partner",
    "partners.EarlySignal",
]  # fmt: skip
READ_ACTIONS = (AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT, AuditEvent.Action.LOGIN)


def _snapshot_sql() -> str:
    parts = []
    for label in COUNTED:
        try:
            table = apps.get_model(label)._meta.db_table
        except LookupError:  # a model renamed elsewhere: the others still count
            continue
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - names from the models
    reads = ", ".join(f"'{a}'" for a in READ_ACTIONS)
    audit = AuditEvent._meta.db_table
    parts.append(f"(SELECT COUNT(*) FROM {audit} WHERE action NOT IN ({reads}))")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def _snapshot() -> tuple:
    """Row counts of the main tables and of audited writes, in one query (probes are many)."""
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        return cursor.fetchone()


# --- the probes -------------------------------------------------------------------------------


def _redirect_ok(response, target, name, kind, mw, scope) -> bool:
    location = response.get("Location", "")
    if not target:
        return False
    if target is True:
        return "/inloggen/" not in location
    if isinstance(target, tuple):  # one of these pages (which one depends on the role)
        return any(_redirect_ok(response, t, name, kind, mw, scope) for t in target)
    try:
        obj = _object(mw, kind, scope)
        # A contact point's pages lead back to its organisation's page (its own pk would match
        # only where the two sequences happen to agree, as on a fresh SQLite database).
        pk = obj.organisation_id if kind == "contact_point" else obj.pk
        wanted = reverse(target, kwargs={"pk": pk})
    except Exception:
        wanted = reverse(target)
    # A fragment (the new note's anchor) only scrolls the page the rule names.
    return location.split("#")[0].split("?")[0] == wanted


def check(response, outcome, name, method, role, scope, mw):
    status = response.status_code
    kind = M.RULES[name][1]
    label = f"{method} {name} as {role or 'anonymous'} on {scope}: got {status}"
    assert status < 500, label
    if outcome == "any":
        return
    if outcome == "login":
        assert status in (302, 401, 403), label
        if status == 302:
            assert "/inloggen/" in response["Location"], label
    elif outcome == "405":
        assert status == 405, label
    elif outcome == "deny":
        assert status in (403, 404), label
    else:
        assert status not in (401, 403, 404), label
        if outcome == "allow":
            assert status != 405, label
        if status in (301, 302, 303):
            key = "redirect" if method == "GET" else "post_redirect"
            target = _options(name).get(key)
            assert _redirect_ok(response, target, name, kind, mw, scope), (
                f"{label} to {response.get('Location')} (the rule states no such redirect)"
            )


@pytest.mark.parametrize(("name", "method", "role", "scope"), PROBES)
def test_access_matrix(mw, db, name, method, role, scope):
    kind = M.RULES[name][1]
    url = _url(name, kind, mw, scope)
    outcome = expected(name, method, role, scope)
    body = _body(name, mw, scope) if method in WRITES else None
    watch = method in WRITES and outcome in ("deny", "login", "405")
    before = _snapshot() if watch else None
    response = _send(_client(mw, role), method, url, name, body)
    check(response, outcome, name, method, role, scope, mw)
    if watch:
        assert _snapshot() == before, f"{method} {name} as {role} on {scope} changed data"
    text = response.content.decode(errors="replace")
    # Whatever the answer: nothing of another organisation, nor (for roles tied to a team) of
    # another team, on any page or in any API answer.
    assert _object(mw, "case", "org2").household.reference not in text
    if role in TEAM_ROLES:
        assert _object(mw, "case", "team2").household.reference not in text
    if outcome in ("deny", "login", "405"):
        assert SECRET_NAME not in text
        assert _object(mw, "case", "own").household.reference not in text


# --- people's bearer tokens -------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PARTNER_CLIENT], ids=str)
def test_a_persons_bearer_token_opens_nothing(mw, db, role):
    """People use a session with 2FA; a token of theirs (if such tokens exist) is refused."""
    user = mw["users"][role]
    keys = ["not-a-real-token"]
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        keys.append(Token.objects.get_or_create(user=user)[0].key)
    for key in keys:
        for name in ("api-me", "case-list", "plan-list", "budget-list", "provision-list"):
            response = Client().get(reverse(name), HTTP_AUTHORIZATION=f"Bearer {key}")
            assert response.status_code in (401, 403), f"{name} with a {role}'s token"
            assert SECRET_NAME not in response.content.decode()


# --- a partner's token ------------------------------------------------------------------------


def _partner_probes():
    for name in all_url_names():
        if name in M.PARTNER_ENDPOINTS or M.RULES.get(name, (None,))[0] == M.PUBLIC:
            continue
        if name.startswith("admin:") or not _is_api(name):
            continue
        for method in _methods(name):
            yield pytest.param(name, method, id=f"{name}-{method}")


@pytest.mark.parametrize(("name", "method"), list(_partner_probes()))
def test_a_partner_token_gets_403_on_every_other_api_endpoint(mw, db, name, method):
    kind = M.RULES[name][1]
    scope = "own" if kind in TEAM_SCOPED else _scopes(kind)[0]
    url = _url(name, kind, mw, scope)
    body = _body(name, mw, scope) if method in WRITES else None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {mw['partner_secret']}")
    before = _snapshot() if method in WRITES else None
    response = _send(client, method, url, name, body)
    assert response.status_code == 403, f"{method} {name}: {response.status_code}"
    assert response["Content-Type"] == "application/problem+json"
    assert SECRET_NAME not in response.content.decode()
    if before is not None:
        assert _snapshot() == before, f"{method} {name} changed data"


def test_a_partner_token_opens_no_page(mw, db):
    """Pages know sessions only: with a bearer token they send to the login page."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {mw['partner_secret']}")
    for name in ("home", "cases:list", "signals:report", "admin:index"):
        response = client.get(reverse(name))
        location = response.get("Location", "")
        assert response.status_code == 302, name
        assert "/inloggen/" in location or "/login/" in location, (name, location)


# --- the Django admin: every registered model, own and other organisation ----------------------


# Shared catalogues with no organisation: every functional administrator reads them.
SHARED_ADMIN_MODELS = {
    "legal.Law", "legal.Provision", "legal.BlockingRule",
    # The directory of outside organisations: one per deployment (issue 12).
    "cooperation.ExternalOrganisation", "cooperation.ContactPoint",
}  # fmt: skip


def _admin_kind(model_admin) -> str:
    """scoped (per organisation), shared (a national catalogue) or refused (superusers only)."""
    if getattr(model_admin, "organisation_path", None):
        return "scoped"
    if model_admin.model._meta.label in SHARED_ADMIN_MODELS:
        return "shared"
    return "refused"


def _admin_objects(model_admin, mw):
    """(object of the own organisation, object of another one); None where there is none."""
    model = model_admin.model
    if _admin_kind(model_admin) != "scoped":
        return model.objects.order_by("pk").first(), None
    path = model_admin.organisation_path
    org_a = mw["teams"]["own"].organisation_id
    org_b = mw["teams"]["org2"].organisation_id
    own = model.objects.filter(**{path: org_a}).order_by("pk").first()
    other = model.objects.filter(**{path: org_b}).order_by("pk").first()
    return own, other


def _admin_probes():
    for model in admin.site._registry:
        meta = model._meta
        for page in ("changelist", "add", "change_own", "change_other"):
            yield pytest.param(model, page, id=f"{meta.app_label}.{meta.model_name}-{page}")


@pytest.mark.parametrize(("model", "page"), list(_admin_probes()))
def test_admin_pages_of_every_model(mw, db, model, page):
    """The functional administrator holds every permission of every model in the admin (the
    worst a platform operator could grant): pages per organisation show only the own one,
    pages of the shared catalogue are readable, and pages that know no organisation (third-party
    apps: tokens, devices, login records) are refused."""
    model_admin = admin.site._registry[model]
    meta = model._meta
    kind = _admin_kind(model_admin)
    client = _client(mw, Role.ADMIN)
    own, other = _admin_objects(model_admin, mw)
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    if page == "changelist":
        response = client.get(reverse(f"{prefix}_changelist"))
        assert response.status_code == (403 if kind == "refused" else 200)
        if other is not None:
            assert f"/{other.pk}/change/" not in response.content.decode()
        return
    if page == "add":
        url = reverse(f"{prefix}_add")
        response = client.get(url)
        # A read-only model has no add form; everything else opens it.
        assert response.status_code in ((403,) if kind == "refused" else (200, 403))
        before = _snapshot()
        response = client.post(url, {})
        assert response.status_code in (200, 403)  # an empty form is refused, nothing stored
        assert _snapshot() == before
        return
    obj = own if page == "change_own" else other
    if obj is None:
        pytest.skip("no object of this kind in the matrix world")
    url = reverse(f"{prefix}_change", args=[obj.pk])
    response = client.get(url)
    if page == "change_own":
        assert response.status_code == (403 if kind == "refused" else 200)
        return
    # Another organisation's object: not found (Django's admin answers with a redirect to
    # its index for an object it cannot find), and a POST changes nothing.
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    before = _snapshot()
    response = client.post(url, {})
    assert response.status_code in (302, 403, 404)
    assert _snapshot() == before


ADMIN_URLS = ["admin:index", "admin:password_change"]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r or "anonymous"))
def test_admin_site_only_for_functional_administrators(mw, db, role):
    """Everyone else is sent to the admin's login page, from every admin page."""
    names = [*ADMIN_URLS]
    for model in admin.site._registry:
        names.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        names.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    client = _client(mw, role)
    for name in names:
        response = client.get(reverse(name))
        if role == Role.ADMIN:
            assert response.status_code in (200, 403), name
        else:
            assert response.status_code == 302, f"{name} as {role}"
            assert response["Location"].startswith("/beheer/login/"), f"{name} as {role}"
            response = client.post(reverse(name), {})
            assert response.status_code == 302 and "/beheer/login/" in response["Location"]


# --- reads of personal data leave an audit event ----------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        n
        for n, r in M.RULES.items()
        if r[1] == "case" and r[0] not in (M.POST_ONLY, M.API_CASE_POST_ONLY)
    ],
)
def test_allowed_personal_data_reads_are_audited(mw, db, name):
    rule = M.RULES[name][0]
    # A worker where workers may read; otherwise (assigning a case) the team lead, or (a legal
    # hold on a case) the privacy officer.
    role = Role.WORKER if rule == M.AUTHENTICATED or Role.WORKER in rule else Role.TEAM_LEAD
    if role not in rule and rule != M.AUTHENTICATED:
        role = Role.PRIVACY_OFFICER
    user = mw["users"][role]
    case = _object(mw, "case", "own")
    client = _client(mw, role)
    before = AuditEvent.objects.filter(actor=user, action="view").count()
    response = client.get(_url(name, "case", mw, "own"))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(actor=user, action="view").latest("id")
    assert AuditEvent.objects.filter(actor=user, action="view").count() == before + 1
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))


# --- a password without the second factor reaches no personal data ----------------------------

HALF_LOGGED_IN = [
    n
    for n, r in M.RULES.items()
    if r[1]
    in (
        "case",
        "plan",
        "submitted_plan",
        "cooperation_request",
        "escalatable_request",
        "referral",
        "followup",
    )
]


@pytest.mark.parametrize("role", sorted(M.CASE_ROLES), ids=str)
def test_password_alone_reaches_no_personal_data(mw, db, role):
    client = Client()
    user = mw["users"][role]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    for name in HALF_LOGGED_IN:
        for method in _methods(name):
            url = _url(name, M.RULES[name][1], mw, "own")
            before = _snapshot()
            response = _send(client, method, url, name, _body(name, mw, "own"))
            label = f"{method} {name} as {role} without the second factor: {response.status_code}"
            if _is_api(name):
                assert response.status_code in (401, 403), label
            else:
                assert response.status_code == 302, label
                assert response["Location"].startswith(reverse("accounts:otp_verify")), label
            assert _snapshot() == before, label
            assert SECRET_NAME not in response.content.decode()
