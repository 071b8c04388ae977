"""Walks every URL of the project for every role, own team and other team.

URLs are collected from the resolver, so a new URL is covered (or fails loudly until its
access rule is written down in tests/access_matrix.py).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.audit.models import AuditEvent

from .access_matrix import (
    API_CASE_POST_ONLY,
    API_POST_ONLY,
    AUTHENTICATED,
    POST_ONLY,
    PREFIX_RULES,
    PUBLIC,
    RULES,
)


def _collect(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _collect(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def all_url_names() -> list[str]:
    return sorted({name for name, _ in _collect(get_resolver().url_patterns)})


def _rule_for(name):
    if name in RULES:
        return RULES[name]
    for prefix, roles in PREFIX_RULES.items():
        if name.startswith(prefix):
            return roles, "prefix"
    return None


def test_every_url_has_an_access_rule():
    missing = [name for name in all_url_names() if _rule_for(name) is None]
    assert not missing, f"URLs without an access rule in tests/access_matrix.py: {missing}"


ROLES = [*list(Role), None]  # None = not logged in


def _url(name, obj_kind, case):
    if obj_kind == "case":
        return reverse(name, kwargs={"pk": case.pk})
    if obj_kind == "budget":
        from maatwerk.decisions.models import Budget

        budget, _created = Budget.objects.get_or_create(
            organisation=case.team.organisation, team=case.team, year=2026, defaults={"amount": 1}
        )
        return reverse(name, kwargs={"pk": budget.pk})
    if obj_kind == "plan":
        from maatwerk.plans.models import Plan

        from .factories import UserFactory

        plan = Plan.objects.filter(case=case).first() or Plan.objects.create(
            case=case, author=UserFactory(), solution="Kinderopvang betalen"
        )
        return reverse(name, kwargs={"pk": plan.pk})
    if obj_kind == "obstacle":  # POST-only: any id shows that GET is refused
        return reverse(name, kwargs={"pk": 1})
    if obj_kind == "cost_item":
        from maatwerk.costs.models import CostItem

        return reverse(name, kwargs={"pk": CostItem.objects.order_by("pk").first().pk})
    if obj_kind == "provision":
        from maatwerk.legal.models import Provision

        return reverse(name, kwargs={"pk": Provision.objects.order_by("pk").first().pk})
    if obj_kind == "blocking_rule":
        from maatwerk.legal.models import BlockingRule

        return reverse(name, kwargs={"pk": BlockingRule.objects.order_by("pk").first().pk})
    return reverse(name)


def _expected(rule, role) -> str:
    if rule == PUBLIC:
        return "allow"
    if rule == POST_ONLY:
        return "post_only"
    if rule == API_POST_ONLY:
        return "login" if role is None else "post_only"
    if rule == API_CASE_POST_ONLY:
        if role is None:
            return "login"
        return "post_only" if role in CASE_ROLES else "deny"
    if role is None:
        return "login"
    if rule == AUTHENTICATED or role in rule:
        return "allow"
    return "deny"


def _check(response, expected, name, role):
    status = response.status_code
    label = f"{name} as {role}: got {status}"
    if expected == "allow":
        assert status in (200, 302) and "/inloggen/" not in response.get("Location", ""), label
        if name.startswith("admin:"):
            assert status == 200, label
    elif expected == "login":
        assert status in (302, 401, 403), label
        if status == 302:
            assert "inloggen" in response["Location"] or "login" in response["Location"], label
    elif expected == "post_only":
        assert status == 405, label
    else:
        if name.startswith("admin:"):
            assert status == 302 and "/beheer/login/" in response["Location"], label
        else:
            assert status in (403, 404), label


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r or "anonymous"))
@pytest.mark.parametrize("name", [n for n in all_url_names() if not n.startswith("admin:")])
def test_access_matrix_own_team(client, world, name, role):
    rule, obj_kind = _rule_for(name)
    if role is not None:
        client.force_login(world["users"][role])
    url = _url(name, obj_kind, world["case_a"])
    response = client.get(url)
    expected = _expected(rule, role)
    _check(response, expected, name, role)
    if expected != "allow":
        body = response.content.decode(errors="replace")
        assert "Geheimnaam" not in body
        assert world["case_a"].household.reference not in body


# Readable objects only: a POST-only URL answers 405 to a GET before it looks at the object.
OBJECT_READS = [
    n
    for n, r in RULES.items()
    if r[1] in ("case", "plan", "budget") and r[0] not in (POST_ONLY, API_CASE_POST_ONLY)
]


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("name", OBJECT_READS)
def test_other_teams_objects_are_never_readable(client, world, name, role):
    client.force_login(world["users"][role])
    response = client.get(_url(name, RULES[name][1], world["case_b"]))
    assert response.status_code in (403, 404), f"{name} as {role}: {response.status_code}"
    assert world["case_b"].household.reference not in response.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r or "anonymous"))
def test_admin_site_only_for_functional_administrators(client, world, role):
    if role is not None:
        client.force_login(world["users"][role])
    response = client.get(reverse("admin:index"))
    _check(response, _expected(PREFIX_RULES["admin:"], role), "admin:index", role)


@pytest.mark.parametrize(
    "name",
    [n for n, r in RULES.items() if r[1] == "case" and r[0] not in (POST_ONLY, API_CASE_POST_ONLY)],
)
def test_allowed_personal_data_reads_are_audited(client, world, name):
    rule = RULES[name][0]
    # A worker where workers may read; otherwise (assigning a case) the team lead.
    role = Role.WORKER if rule == AUTHENTICATED or Role.WORKER in rule else Role.TEAM_LEAD
    user = world["users"][role]
    client.force_login(user)
    before = AuditEvent.objects.filter(actor=user, action="view").count()
    response = client.get(_url(name, "case", world["case_a"]))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(actor=user, action="view").latest("id")
    assert AuditEvent.objects.filter(actor=user, action="view").count() == before + 1
    assert (event.object_type, event.object_id) == ("cases.case", str(world["case_a"].pk))
