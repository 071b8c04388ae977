"""A signal is a thing with an owner and a status (issue 14, point 3): raise, move along the
allow-list with a history line each, feed from obstacles, contributions, the database rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import services as case_services
from maatwerk.legal import services as legal_services
from maatwerk.legal.models import BlockingRule
from maatwerk.signals import selectors, services
from maatwerk.signals.models import Contribution, Signal, SignalEvent, Status

from ..factories import CaseFactory, TeamFactory, user_with_role

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def rule(db):
    return BlockingRule.objects.get(code="TOESLAG-VERREKEND")


@pytest.fixture
def people(db):
    team = TeamFactory()
    other = TeamFactory()
    return {
        "team": team,
        "analyst": user_with_role(Role.POLICY_ANALYST, team),
        "lead": user_with_role(Role.TEAM_LEAD, team),
        "worker": user_with_role(Role.WORKER, team),
        "admin": user_with_role(Role.ADMIN, team),
        "outsider": user_with_role(Role.POLICY_ANALYST, other),
        "other_worker": user_with_role(Role.WORKER, other),
    }


def _raise(actor, rule, **kw):
    return services.raise_signal(
        actor, rule=rule, title="Verrekening blokkeert werk", summary="Toeslag verrekend.",
        owner_kind="national", today=TODAY, **kw,
    )  # fmt: skip


def _obstacle(worker, team, rule=None, new_rule=""):
    case = CaseFactory(household__team=team)
    return case_services.add_obstacle(
        actor=worker, case=case, blocking_rule=rule, description_new_rule=new_rule,
        applied_by="tax_allowances", effect="Zij moet stoppen met werken.",
    )  # fmt: skip


def test_raise_sets_owner_deadline_history_and_audit(people, rule):
    signal = _raise(people["analyst"], rule)
    assert signal.status == Status.NEW and signal.owner_name == "Landelijk Maatwerkloket"
    assert signal.deadline == TODAY + datetime.timedelta(days=14)
    assert signal.rule_version == rule.version
    assert signal.organisation == people["team"].organisation
    [event] = signal.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", "new", people["analyst"])
    assert AuditEvent.objects.filter(
        object_type="signals.signal", object_id=str(signal.pk), action="create"
    ).exists()
    # One open signal per rule: a second is refused and changes nothing.
    with pytest.raises(ValidationError) as refused:
        _raise(people["lead"], rule)
    assert refused.value.code == "signals.already_open"
    assert Signal.objects.count() == 1


def test_only_team_lead_or_analyst_raise_from_a_rule(people, rule):
    for role in ("worker", "admin"):
        with pytest.raises(PermissionDenied):
            _raise(people[role], rule)
    with pytest.raises(ValidationError) as missing:
        services.raise_signal(
            people["lead"], rule=rule, title="", summary="", owner_kind="department",
            owner_name="", today=TODAY,
        )  # fmt: skip
    assert "owner_name" in missing.value.error_dict
    assert not Signal.objects.exists()


def test_allow_list_note_rules_and_history(people, rule):
    signal = _raise(people["analyst"], rule)
    with pytest.raises(ValidationError) as skipped:
        services.transition(people["analyst"], signal, Status.RULE_KEPT, note="x", today=TODAY)
    assert skipped.value.code == "signals.transition_not_allowed"
    with pytest.raises(PermissionDenied):
        services.transition(people["worker"], signal, Status.ACKNOWLEDGED)
    with pytest.raises(PermissionDenied):
        services.transition(people["outsider"], signal, Status.ACKNOWLEDGED)
    day2 = TODAY + datetime.timedelta(days=3)
    signal = services.transition(people["lead"], signal, Status.ACKNOWLEDGED, today=day2)
    assert signal.deadline == day2 + datetime.timedelta(days=28)
    signal = services.transition(people["analyst"], signal, Status.UNDER_STUDY, today=day2)
    assert signal.next_statuses() == [Status.RULE_CHANGED, Status.RULE_KEPT, Status.PASSED_ON]
    with pytest.raises(ValidationError) as no_reason:
        services.transition(people["analyst"], signal, Status.RULE_KEPT, note="  ", today=day2)
    assert "note" in no_reason.value.error_dict
    # "Rule changed" needs the regelbank's new version first.
    with pytest.raises(ValidationError) as unchanged:
        services.transition(people["analyst"], signal, Status.RULE_CHANGED, today=day2)
    assert unchanged.value.code == "signals.rule_not_changed"
    signal = services.transition(
        people["analyst"], signal, Status.RULE_KEPT, note="Wettelijk verplicht.", today=day2
    )
    assert signal.deadline is None and signal.outcome_note == "Wettelijk verplicht."
    steps = [(e.from_status, e.to_status) for e in signal.events.all()]
    assert steps == [
        ("", "new"), ("new", "acknowledged"), ("acknowledged", "under_study"),
        ("under_study", "rule_kept"),
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.transition(people["analyst"], signal, Status.UNDER_STUDY)
    # Closed: the rule may get a new signal.
    assert _raise(people["lead"], rule).pk != signal.pk


def test_rule_changed_names_the_regelbank_version_and_counts(people, rule):
    for _ in range(6):
        _obstacle(people["worker"], people["team"], rule)
    signal = _raise(people["analyst"], rule)
    services.transition(people["analyst"], signal, Status.ACKNOWLEDGED, today=TODAY)
    services.transition(people["analyst"], signal, Status.UNDER_STUDY, today=TODAY)
    legal_services.update_blocking_rule(
        people["admin"], rule, recent_change="Verrekening gestopt bij werk.", note="Signaal"
    )
    rule.refresh_from_db()
    signal = services.transition(people["analyst"], signal, Status.RULE_CHANGED, today=TODAY)
    assert signal.changed_version == rule.version
    assert selectors.rule_version_revision(signal).version == rule.version
    rows = selectors.before_after_counts(signal, today=signal.changed_on)
    change = [r for r in rows if r.side == "change"]
    assert change and change[0].households == 6
    assert all(r.small for r in rows if r.side == "before")


def test_worker_raises_from_obstacle_then_colleague_joins_and_both_see_it(people, rule):
    worker = people["worker"]
    colleague = user_with_role(Role.WORKER, people["team"])
    mine = _obstacle(worker, people["team"], rule)
    theirs = _obstacle(colleague, people["team"], rule)
    signal = services.raise_signal(
        worker, obstacle=mine, title="Komt vaker voor", summary="Verrekening.",
        owner_kind="organisation", owner_name="Belastingdienst/Toeslagen", today=TODAY,
    )  # fmt: skip
    assert signal.blocking_rule == rule and list(
        signal.feeds.values_list("obstacle", flat=True)
    ) == [mine.pk]
    services.feed_signal(colleague, signal, theirs)
    assert signal.feeds.count() == 2
    assert selectors.visible_signals(colleague).filter(pk=signal.pk).exists()
    assert not selectors.visible_signals(people["other_worker"]).exists()
    # Another team's worker cannot feed or raise from an obstacle they do not write.
    with pytest.raises(PermissionDenied):
        services.feed_signal(people["other_worker"], signal, theirs)
    # A newly described rule: the signal names the obstacle, not a rule.
    new = _obstacle(worker, people["team"], new_rule="Kamerverhuur stopt huurtoeslag.")
    s2 = services.raise_signal(
        worker, obstacle=new, title="Kamerverhuur", summary="Huurtoeslag stopt.",
        owner_kind="department", owner_name="Werk en Inkomen", today=TODAY,
    )  # fmt: skip
    assert s2.blocking_rule is None and s2.new_rule_obstacle == new
    with pytest.raises(ValidationError) as twice:
        services.raise_signal(
            worker, obstacle=new, title="Nog eens", summary="x", owner_kind="national", today=TODAY
        )
    assert twice.value.code == "signals.already_open"


def test_contributions_only_from_feeding_teams_and_masked_in_audit(people, rule):
    mine = _obstacle(people["worker"], people["team"], rule)
    signal = services.raise_signal(
        people["worker"], obstacle=mine, title="t", summary="s", owner_kind="national",
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.add_contribution(people["analyst"], signal, "Ik weet iets.")
    with pytest.raises(ValidationError):
        services.add_contribution(people["worker"], signal, "   ")
    c = services.add_contribution(people["worker"], signal, "Gebeurt bij elke nieuwe baan.")
    event = AuditEvent.objects.get(object_type="signals.contribution", object_id=str(c.pk))
    assert "Gebeurt" not in str(event.changes)


def test_history_and_contributions_are_append_only(people, rule):
    signal = _raise(people["analyst"], rule)
    event = SignalEvent.objects.get(signal=signal)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        Contribution(pk=1, signal=signal, text="x").save()


def test_database_refuses_an_unknown_status_and_a_kept_rule_without_reason(people, rule):
    signal = _raise(people["analyst"], rule)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.filter(pk=signal.pk).update(status="whatever")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.filter(pk=signal.pk).update(status="rule_kept", deadline=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.filter(pk=signal.pk).update(deadline=None)


def test_postgresql_refuses_raw_changes_to_the_history(people, rule):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's")
    signal = _raise(people["analyst"], rule)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignalEvent.objects.filter(signal=signal).update(note="weg ermee")
    with pytest.raises(DatabaseError), transaction.atomic():
        SignalEvent.objects.filter(signal=signal).delete()
