"""Retention periods as data (issue 17, point 1): the rules file, its load, the pure
computation (longest wins, never before the end event), the mapping of a case's help to rules,
an organisation's own periods and the read-only page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.accounts.models import Organisation
from maatwerk.accounts.roles import Role
from maatwerk.cases import services as case_services
from maatwerk.cases.models import Case
from maatwerk.core.catalogue_sync import Kind
from maatwerk.privacy import retention, selectors, services, sync
from maatwerk.privacy.models import RetentionRule

from ..factories import TeamFactory, user_with_role

R = retention.Rule


def test_periods_are_read_as_the_selectielijst_writes_them():
    assert retention.parse_period("P15Y") == (15, 0)
    assert retention.parse_period("P42D") == (0, 42)
    for bad in ("P6M", "15 jaar", "P", "bewaren"):
        with pytest.raises(ValueError):
            retention.parse_period(bad)


def test_the_file_names_a_source_for_every_rule_and_the_key_periods():
    rows = sync.rows()
    assert retention.mapping().codes() <= set(rows)
    assert all(r["source_url"].startswith("https://") and r["evidence"] for r in rows.values())
    # The periods the issue names, as the research read them (not checked against the
    # Staatscourant yet, so marked unverified).
    assert (rows["WMO-VERSTREKT"]["period_years"], rows["WMO-VERSTREKT"]["category"]) == (
        15,
        "8.1.1",
    )
    assert rows["JEUGD-VERSTREKT"]["period_years"] == 20
    assert rows["UITKERING-VERSTREKT"]["period_years"] == 10
    assert rows["UITKERING-VERSTREKT"]["counted_from"] == retention.PROVISION_ENDED
    assert rows["SCHULDHULP-VERSTREKT"]["period_years"] == 5
    assert rows["SOCIAAL-AFGEBROKEN"]["period_days"] == 42
    assert not any(r["verified"] for r in rows.values())


def test_an_open_case_has_no_end_and_a_running_provision_keeps_the_case():
    rules = [R("A", 10, 0, retention.PROVISION_ENDED)]
    assert retention.end_date(retention.CaseFacts(closed_on=None), rules) is None
    running = retention.CaseFacts(closed_on=date(2026, 1, 1), provision_running=True)
    assert retention.end_date(running, rules) is None
    ended = retention.CaseFacts(closed_on=date(2026, 1, 1), provision_ended_on=date(2027, 3, 1))
    assert retention.end_date(ended, rules) == date(2037, 3, 1)


def test_29_february_and_days():
    facts = retention.CaseFacts(closed_on=date(2028, 2, 29))
    assert retention.end_date(facts, [R("A", 5, 0, retention.CASE_CLOSED)]) == date(2033, 2, 28)
    assert retention.end_date(facts, [R("B", 0, 42, retention.CASE_CLOSED)]) == date(2028, 4, 11)


rule_st = (
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.integers(0, 30),
        st.integers(0, 400),
        st.sampled_from([retention.CASE_CLOSED, retention.PROVISION_ENDED]),
    )
    .filter(lambda t: t[1] or t[2])
    .map(lambda t: R(*t))
)


@given(
    rules=st.lists(rule_st, min_size=1, max_size=5),
    closed=st.dates(date(2000, 1, 1), date(2060, 12, 31)),
    later=st.integers(0, 2000),
)
def test_the_longest_wins_and_never_before_the_end_event(rules, closed, later):
    facts = retention.CaseFacts(closed_on=closed, provision_ended_on=closed + timedelta(later))
    end = retention.end_date(facts, rules)
    assert end == max(retention.rule_end(r, facts) for r in rules)
    for rule in rules:
        assert end >= retention.rule_end(rule, facts) > retention.start_of(rule, facts)
    assert end > closed
    # Adding a rule never makes the end earlier.
    assert retention.end_date(facts, [*rules, R("E", 1, 0, retention.CASE_CLOSED)]) >= end


def test_kinds_of_help_from_what_the_case_holds():
    m = retention.mapping()
    kinds = retention.kinds_of(
        approved_laws={"Pw", "Awir"},
        rejected_plans=False,
        has_approved_plan=True,
        life_domains={"income", "debts"},
        close_reason="goal_reached",
    )
    assert kinds == {"UITKERING-VERSTREKT", "SCHULDHULP-BEEINDIGD"}
    abandoned = {
        "approved_laws": (),
        "rejected_plans": False,
        "has_approved_plan": False,
        "close_reason": "no_contact",
    }
    assert retention.kinds_of(**abandoned, life_domains={"debts"}) == {m.abandoned}
    assert retention.kinds_of(**{**abandoned, "rejected_plans": True}, life_domains=()) == {
        m.rejected
    }
    assert retention.kinds_of(
        approved_laws=(),
        rejected_plans=False,
        has_approved_plan=False,
        life_domains={"housing"},
        close_reason="goal_reached",
    ) == {m.default}


def test_loading_twice_changes_nothing_and_keeps_a_local_change(db):
    assert RetentionRule.objects.filter(organisation__isnull=True).count() == len(sync.rows())
    assert {a.kind for a in sync.load()} == {Kind.UNCHANGED}
    admin = user_with_role(Role.ADMIN, TeamFactory())
    rule = RetentionRule.objects.get(code="WMO-VERSTREKT", organisation__isnull=True)
    rule.period_years, rule.updated_by = 16, admin
    rule.save()
    actions = {a.code: a.kind for a in sync.load()}
    assert actions["WMO-VERSTREKT"] == Kind.KEEP_LOCAL
    rule.refresh_from_db()
    assert rule.period_years == 16


@pytest.fixture
def org(db):
    team = TeamFactory()
    return {
        "team": team,
        "worker": user_with_role(Role.WORKER, team),
        "officer": user_with_role(Role.PRIVACY_OFFICER, team),
        "admin": user_with_role(Role.ADMIN, team),
    }


def _case(org, domains, close_reason=None):
    case = case_services.create_household_with_case(
        actor=org["worker"],
        team=org["team"],
        residents=[{"first_name": "Eva", "last_name": "de Vries"}],
        title="Schulden",
        life_domains=domains,
        organisations=[],
    )
    if close_reason:
        case = case_services.close_case(actor=org["worker"], case=case, reason=close_reason)
    return case


def test_a_case_gets_its_end_date_from_its_kinds(org):
    open_case = _case(org, ["debts"])
    closed = _case(org, ["debts", "upbringing"], close_reason="goal_reached")
    gone = _case(org, ["housing"], close_reason="no_contact")
    found = {r.case_id: r for r in selectors.case_retention(Case.objects.all())}
    assert found[open_case.pk].end is None
    assert found[closed.pk].codes == {"SCHULDHULP-BEEINDIGD", "JEUGD-BEEINDIGD"}
    assert found[closed.pk].end == retention.add_years(closed.closed_on, 20)  # the longest
    assert found[gone.pk].end == gone.closed_on + timedelta(days=42)


def test_an_organisation_that_is_no_municipality_sets_its_own_period(org, client):
    organisation = org["team"].organisation
    organisation.kind = Organisation.Kind.MUNICIPALITY
    organisation.save()
    with pytest.raises(PermissionDenied):
        services.set_own_period(org["admin"], code="SOCIAAL-AFGEBROKEN", years=1, days=0)
    organisation.kind = Organisation.Kind.WELFARE
    organisation.save()
    with pytest.raises(PermissionDenied):
        services.set_own_period(org["officer"], code="SOCIAAL-AFGEBROKEN", years=1, days=0)
    client.force_login(org["admin"])
    response = client.post(
        reverse("privacy:retention"),
        {"code": "SOCIAAL-AFGEBROKEN", "period_years": "2", "period_days": "0"},
    )
    assert response.status_code == 302
    own = RetentionRule.objects.get(code="SOCIAAL-AFGEBROKEN", organisation=organisation)
    assert (own.period_years, own.period_days) == (2, 0)
    gone = _case(org, ["housing"], close_reason="no_contact")
    (found,) = selectors.case_retention(Case.objects.filter(pk=gone.pk))
    assert found.end == retention.add_years(gone.closed_on, 2)
    # Another organisation still counts 42 days.
    assert selectors.retention_rules_for(None)["SOCIAAL-AFGEBROKEN"].days == 42


def test_the_page_is_read_only_for_the_officer_and_shows_sources(org, client):
    client.force_login(org["officer"])
    page = client.get(reverse("privacy:retention")).content.decode()
    assert "8.1.1" in page and "15 jaar" in page and "42 dagen" in page
    assert "nog niet getoetst" in page
    assert "<form" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert client.post(reverse("privacy:retention"), {"code": "WMO-VERSTREKT"}).status_code == 403
    client.force_login(org["worker"])
    assert client.get(reverse("privacy:retention")).status_code == 403
    client.force_login(org["admin"])
    assert client.get(reverse("privacy:retention")).status_code == 200
