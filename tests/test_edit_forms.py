"""Every edit form of the project opens on existing data and saves unchanged (issue 8, point 1).

The edit URLs are collected from the URL resolver, as the access matrix does: a new edit form is
covered automatically, and one without data to open it on fails here until its fixture is added
to FIXTURES. Each form is read the way a browser reads it (inputs, selected options, textareas,
checked boxes), posted back with its save button, and must be accepted without changing any
stored value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.cases.models import Obstacle
from maatwerk.costs.models import CostItem
from maatwerk.legal.models import BlockingRule, Law, Provision
from maatwerk.plans import services as plans
from maatwerk.plans.models import Plan

from .formpost import forms_in

EDIT_ROUTE = re.compile(r"(bewerken|wijzigen|change)/$")


def _collect(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _collect(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", str(p.pattern)


def edit_url_names() -> list[str]:
    """Every URL whose name or route says it edits something that exists."""
    return sorted(
        {
            name
            for name, route in _collect(get_resolver().url_patterns)
            if "edit" in name.rsplit(":", 1)[-1] or EDIT_ROUTE.search(route)
        }
    )


def _admin_is_read_only(name: str, user) -> bool:
    """An admin page that shows an object without letting anyone change it is no edit form."""
    for model, model_admin in admin.site._registry.items():
        if name == f"admin:{model._meta.app_label}_{model._meta.model_name}_change":
            request = RequestFactory().get("/")
            request.user = user
            return not model_admin.has_change_permission(request)
    return False


@dataclass
class Opened:
    user: object
    url: str
    stored: object  # a callable: the stored values the form may not change


def _row(obj, *exclude: str) -> dict:
    obj.refresh_from_db()
    values = model_to_dict(obj)
    for related in ("lines", "plan_provisions", "memberships", "areas"):
        if hasattr(obj, related) and hasattr(getattr(obj, related), "values"):
            values[related] = [
                {k: v for k, v in row.items() if k not in ("id", "plan_id")}
                for row in getattr(obj, related).order_by("id").values()
            ]
    for m2m in obj._meta.many_to_many:
        values[m2m.name] = sorted(x.pk for x in getattr(obj, m2m.name).all())
    for field in exclude:
        values.pop(field, None)
    # A form shows a moment to the second (the admin's date and time fields); the microseconds a
    # database keeps are not something a person reads or types.
    return {
        k: v.replace(microsecond=0) if isinstance(v, datetime) else v for k, v in values.items()
    }


def _plan(world) -> Opened:
    """A draft plan with everything the form edits: lines with quarters and chances, provisions,
    agreement, terms."""
    worker = world["users"][Role.WORKER]
    case = world["case_a"]
    rule = BlockingRule.objects.get(code="TOESLAG-VERREKEND")
    obstacle = Obstacle.objects.create(
        case=case, blocking_rule=rule, applied_by="tax_allowances", effect="Toeslag verrekend."
    )
    plan = plans.create_plan(
        worker,
        case,
        [obstacle],
        solution="Kinderopvang een jaar betalen.",
        by_whom="Wijkteam",
        when=timezone.localdate() + timedelta(days=30),
        amount_requested=Decimal("6500.50"),
        form=Plan.Form.PAYMENT,
        payee="Kinderopvang De Vlinder",
    )
    plans.record_agreement(
        worker,
        plan,
        resident_words="Dan kan ik blijven werken.",
        agreement="yes",
        agreement_date=timezone.localdate(),
        agreement_how="in_person",
    )
    plans.set_provisions(
        worker, plan, [(p, "Geeft ruimte.") for p in Provision.objects.order_by("pk")[:2]]
    )
    item = CostItem.objects.filter(unit="per_month").order_by("pk").first()
    own = {
        "label": "Eigen regel",
        "amount": Decimal("100.00"),
        "unit": "per_case",
        "bearer": "municipality",
        "cost_type": "fiscal",
        "quantity": Decimal("1.0000"),
        "start_month": 0,
        "duration_months": None,
        "probability": Decimal("1.0000"),
    }
    catalogue = {
        "cost_item_id": item.pk,
        "quantity": Decimal("2.5000"),
        "start_month": 1,
        "duration_months": 11,
        "probability": Decimal("0.7500"),
    }
    plans.set_scenarios(
        worker,
        plan,
        standard=[catalogue, own],
        tailored=[
            {**own, "amount": Decimal("6500.50"), "probability": Decimal("0.3333")},
            {**own, "kind": "forgone_income", "label": "Afzien van terugvordering"},
        ],
        horizon_months=24,
        discount_rate=Decimal("0.0225"),
    )
    return Opened(
        worker, reverse("plans:edit", kwargs={"pk": plan.pk}), lambda: _row(plan, "updated_at")
    )


def _administrator(world):
    """The functional administrator, holding every model permission a platform operator can
    hand out (not superuser, so the organisation scoping applies)."""
    from django.contrib.auth.models import Permission

    user = world["users"][Role.ADMIN]
    if not user.user_permissions.exists():
        user.user_permissions.set(Permission.objects.all())
    return type(user).objects.get(pk=user.pk)  # without the cached (empty) permissions


def _legal(name, obj_of):
    def make(world) -> Opened:
        obj = obj_of()
        return Opened(
            _administrator(world), reverse(name, kwargs={"pk": obj.pk}), lambda: _row(obj)
        )

    return make


def _admin(model_name, obj_of, url_pk=lambda obj: obj.pk):
    def make(world) -> Opened:
        obj = obj_of(world)
        return Opened(
            _administrator(world),
            reverse(f"admin:{model_name}_change", args=[url_pk(obj)]),
            lambda: _row(obj, "last_login"),
        )

    return make


def _org(world):
    return world["team_a"].organisation


def _mandate(world):
    from maatwerk.decisions.models import MandateSetting

    return MandateSetting.objects.create(
        organisation=_org(world),
        role=Role.TEAM_LEAD,
        amount=Decimal("2500.00"),
        household_cap_per_year=Decimal("10000.50"),
    )


def _peer_rule(world):
    from maatwerk.decisions.models import PeerRule

    return PeerRule.objects.create(
        organisation=_org(world), limit=Decimal("250.00"), peers_required=2
    )


def _level(world):
    from maatwerk.decisions.models import EscalationLevel

    return EscalationLevel.objects.create(
        organisation=_org(world), position=1, role=Role.TEAM_LEAD, deadline_working_days=5
    )


def _budget(world):
    from maatwerk.decisions.models import Budget

    return Budget.objects.create(
        organisation=_org(world), team=world["team_a"], year=2026, amount=Decimal("50000.75")
    )


def _audit_event(world):
    audit.record(actor=world["users"][Role.WORKER], action=audit.Action.VIEW, obj=world["case_a"])
    from maatwerk.audit.models import AuditEvent

    return AuditEvent.objects.latest("id")


def _department(world):
    from maatwerk.accounts.models import Department

    return Department.objects.create(organisation=_org(world), name="Burgerzaken")


def _department_route(world):
    from maatwerk.decisions.models import DepartmentRoute

    return DepartmentRoute.objects.create(
        organisation=_org(world), applier="municipality", department=_department(world)
    )


def _case(world) -> Opened:
    """The worker edits her own case (title, goal, first step, life domains)."""
    from maatwerk.cases import services as case_services

    worker, case = world["users"][Role.WORKER], world["case_a"]
    case_services.set_workers(actor=world["users"][Role.TEAM_LEAD], case=case, workers=[worker])
    return Opened(worker, reverse("cases:edit", kwargs={"pk": case.pk}), lambda: _row(case))


def _group(world):
    from django.contrib.auth.models import Group

    return Group.objects.create(name="Beheerders")


def _api_client(world):
    from maatwerk.api import services as api_services
    from maatwerk.api.models import Scope

    return api_services.create_client(
        actor=_administrator(world),
        organisation=_org(world),
        name="Woningcorporatie",
        scopes=[Scope.REGELBANK_READ],
    )


def _partner(world):
    from maatwerk.partners import services as partners
    from maatwerk.partners.models import PartnerType

    return partners.create_partner(
        actor=_administrator(world),
        organisation=_org(world),
        name="Woonstichting Wadwijk",
        type=PartnerType.RENT,
    )


def _postcode_area(world):
    """As the admin saves one: validated, stored, then audited by the partners service."""
    from maatwerk.partners import services as partners
    from maatwerk.partners.models import PostcodeArea

    area = PostcodeArea(organisation=_org(world), team=world["team_a"], start=1011, end=1018)
    area.full_clean()
    area.save()
    partners.record_postcode_area(actor=_administrator(world), area=area, created=True)
    return area


def _totp(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=world["users"][Role.WORKER], name="telefoon")


def _axes(model_name):
    def make(world):
        from axes import models

        model = getattr(models, model_name)
        fields = {"username": "iemand", "ip_address": "127.0.0.1", "user_agent": "test"}
        if model_name == "AccessAttempt":
            fields.update(get_data="", post_data="", failures_since_start=1)
        if model_name == "AccessLog":
            fields.update(path_info="/inloggen/")
        if model_name == "AccessFailureLog":
            fields.update(path_info="/inloggen/", locked_out=False)
        return model.objects.create(**fields)

    return make


def _outside_organisation(world) -> Opened:
    """An organisation of the directory, as the functional administrator entered it."""
    from maatwerk.cooperation import services as cooperation

    user = _administrator(world)
    organisation = cooperation.save_organisation(
        user,
        name="Belastingdienst/Toeslagen",
        organisation_type="tax_allowances",
        category="cooperation",
        website="https://www.belastingdienst.nl",
        notes="Huurtoeslag, zorgtoeslag en kinderopvangtoeslag.",
    )
    url = reverse("cooperation:edit_organisation", kwargs={"pk": organisation.pk})
    return Opened(user, url, lambda: _row(organisation))


def _contact_point(world) -> Opened:
    """A contact point with every field filled in, as the functional administrator entered it."""
    from maatwerk.cooperation import services as cooperation

    opened = _outside_organisation(world)
    organisation = cooperation.save_organisation(
        opened.user, name="UWV", organisation_type="uwv", category="cooperation"
    )
    point = cooperation.save_contact_point(
        opened.user,
        organisation,
        department="Klantcontact",
        channel="phone",
        phone="+31 (0)88-898 92 94",
        address="Postbus 58285\n1040 HG Amsterdam",
        notes="Vraag naar de maatwerkdesk.",
        for_formal_requests=True,
    )
    url = reverse("cooperation:edit_contact_point", kwargs={"pk": point.pk})
    return Opened(opened.user, url, lambda: _row(point))


def _example(world) -> Opened:
    """A draft example proposed from a plan the team lead approved, as the worker wrote it."""
    from maatwerk.decisions import services as decisions
    from maatwerk.decisions.models import MandateSetting
    from maatwerk.demo.plans import complete_plan
    from maatwerk.library import services as library

    worker, lead = world["users"][Role.WORKER], world["users"][Role.TEAM_LEAD]
    MandateSetting.objects.get_or_create(
        organisation=_org(world), role=Role.TEAM_LEAD, defaults={"amount": Decimal("2500")}
    )
    _budget(world)
    plan = complete_plan(worker, world["case_a"], "2000")
    decisions.submit_plan(worker, plan)
    decisions.approve(lead, plan, reason="Akkoord")
    example = library.propose_example(
        plan,
        worker,
        title="Opvang betaald, baan behouden",
        story="Het wijkteam betaalde de kinderopvang een jaar.",
        lessons="Vraag de verrekening vroeg aan.",
    )
    url = reverse("library:edit", kwargs={"pk": example.pk})
    return Opened(worker, url, lambda: _row(example))


# url name -> how to open its form on existing data. A new edit URL needs a row here.
FIXTURES = {
    "plans:edit": _plan,
    "cases:edit": _case,
    "cooperation:edit_organisation": _outside_organisation,
    "cooperation:edit_contact_point": _contact_point,
    "library:edit": _example,
    "legal:edit_provision": _legal(
        "legal:edit_provision", lambda: Provision.objects.order_by("pk").first()
    ),
    "legal:edit_rule": _legal(
        "legal:edit_rule", lambda: BlockingRule.objects.filter(escape_routes__isnull=False).first()
    ),
    "admin:legal_law_change": _admin("legal_law", lambda w: Law.objects.order_by("pk").first()),
    "admin:legal_provision_change": _admin(
        "legal_provision", lambda w: Provision.objects.order_by("pk").first()
    ),
    "admin:legal_blockingrule_change": _admin(
        "legal_blockingrule", lambda w: BlockingRule.objects.order_by("pk").first()
    ),
    "admin:accounts_organisation_change": _admin("accounts_organisation", _org),
    "admin:accounts_team_change": _admin("accounts_team", lambda w: w["team_a"]),
    "admin:accounts_user_change": _admin("accounts_user", lambda w: w["users"][Role.WORKER]),
    "admin:decisions_mandatesetting_change": _admin("decisions_mandatesetting", _mandate),
    "admin:decisions_peerrule_change": _admin("decisions_peerrule", _peer_rule),
    "admin:decisions_escalationlevel_change": _admin("decisions_escalationlevel", _level),
    "admin:decisions_budget_change": _admin("decisions_budget", _budget),
    "admin:accounts_department_change": _admin("accounts_department", _department),
    "admin:decisions_departmentroute_change": _admin(
        "decisions_departmentroute", _department_route
    ),
    "admin:audit_auditevent_change": _admin("audit_auditevent", _audit_event),
    # Third-party admins the project ships: they are the project's forms too.
    "admin:auth_group_change": _admin("auth_group", _group),
    "admin:api_apiclient_change": _admin("api_apiclient", _api_client),
    "admin:partners_partner_change": _admin("partners_partner", _partner),
    "admin:partners_postcodearea_change": _admin("partners_postcodearea", _postcode_area),
    "admin:otp_totp_totpdevice_change": _admin("otp_totp_totpdevice", _totp),
    "admin:axes_accessattempt_change": _admin("axes_accessattempt", _axes("AccessAttempt")),
    "admin:axes_accesslog_change": _admin("axes_accesslog", _axes("AccessLog")),
    "admin:axes_accessfailurelog_change": _admin(
        "axes_accessfailurelog", _axes("AccessFailureLog")
    ),
}

# Edit URLs that show no stored values to send back, with the reason.
NOT_ON_STORED_VALUES = {
    "admin:password_change": "asks for the old and a new password; shows nothing stored",
    "admin:accounts_claimmapping_change": (
        "a claim mapping is added and retired, never edited: every field is read-only once added"
    ),
}

# Forms that come back to themselves after saving, with the reason.
SAVES_TO_ITSELF = {
    "library:edit": "after saving, the worker sees the de-identified text again, then submits it",
}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_every_edit_url_has_a_fixture(world):
    admin_user = _administrator(world)
    editable = [
        n
        for n in edit_url_names()
        if n not in NOT_ON_STORED_VALUES and not _admin_is_read_only(n, admin_user)
    ]
    missing = [n for n in editable if n not in FIXTURES]
    assert not missing, (
        f"Edit forms without data to open them on: add a fixture to FIXTURES in {__file__}: "
        f"{missing}"
    )
    assert "plans:edit" in editable and "legal:edit_rule" in editable


def _the_form(html: str, url: str):
    candidates = [
        f
        for f in forms_in(html)
        if f.method == "post" and f.attrs.get("action", "") in ("", url) and f.submit_buttons()
    ]
    assert candidates, f"{url}: no form to post"
    return max(candidates, key=lambda f: len(f.controls))


def _save_button(form):
    buttons = form.submit_buttons()
    for name in ("_save", "save"):
        for b in buttons:
            if b.name == name:
                return b
    visible = [b for b in buttons if b.attrs.get("aria-hidden") != "true"]
    return (visible or buttons)[-1]


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_edit_form_saves_unchanged(client, world, name):
    opened = FIXTURES[name](world)
    if _admin_is_read_only(name, opened.user):
        pytest.skip("read-only in the admin: no form to save")
    client.force_login(opened.user)
    before = opened.stored()
    page = client.get(opened.url)
    assert page.status_code == 200, f"{name}: {page.status_code}"
    form = _the_form(page.content.decode(), opened.url)
    for c in form.controls:
        if c.type == "date" and c.attrs.get("value"):
            assert ISO_DATE.match(c.attrs["value"]), f"{name}: {c.name}={c.attrs['value']!r}"
    data = form.data(_save_button(form))
    posted: dict[str, list[str]] = {}
    for key, value in data:
        posted.setdefault(key, []).append(value)
    response = client.post(opened.url, posted)
    body = response.content.decode(errors="replace")
    assert response.status_code == 302, (
        f"{name}: saving unchanged was refused ({response.status_code}): "
        + "; ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S))[:2000]
    )
    if name not in SAVES_TO_ITSELF:
        assert response["Location"] != opened.url
    assert opened.stored() == before, f"{name}: saving unchanged changed stored values"


def test_plan_edit_shows_numbers_as_typed(client, world):
    """The line that broke: 1,0000 and 100,0000 came back and were refused."""
    opened = _plan(world)
    client.force_login(opened.user)
    form = _the_form(client.get(opened.url).content.decode(), opened.url)
    values = dict(form.data())
    assert values["standard-0-quantity"] == "2,5"
    assert values["standard-0-probability"] == "75"
    assert values["standard-1-quantity"] == "1"
    assert values["standard-1-probability"] == "100"
    assert values["standard-1-amount"] == "100"
    assert values["tailored-0-amount"] == "6500,50"
    assert values["tailored-0-probability"] == "33,33"
    assert values["tailored-0-kind"] == "cost"
    assert values["tailored-1-kind"] == "forgone_income"
    assert values["terms-discount_rate"] == "2,25"
    assert values["sol-amount_requested"] == "6500,50"
