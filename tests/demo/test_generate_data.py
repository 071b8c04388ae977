"""The benchmark data generator: counts, determinism and top-up behaviour."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F

from maatwerk.accounts.models import Team, User
from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Case, Household, Obstacle, Resident
from maatwerk.decisions.models import DecisionStep, LedgerEntry, LedgerEntryDetail
from maatwerk.followup import cohorts
from maatwerk.followup.models import CohortFigures, FollowUp, Outcome
from maatwerk.plans.models import CalculationSnapshot, Plan, ScenarioLine


def _generate(households: int, **options) -> str:
    out = StringIO()
    call_command("generate_data", households=households, stdout=out, **options)
    return out.getvalue()


def _generated():
    return Household.objects.filter(reference__startswith="GEN-")


def _snapshot() -> list[tuple]:
    """Everything that describes the generated data, without database ids."""
    rows = []
    for case in (
        Case.objects.filter(household__reference__startswith="GEN-")
        .select_related("household", "team")
        .prefetch_related("household__residents", "assigned_workers")
        .order_by("household__reference")
    ):
        rows.append(
            (
                case.household.reference,
                case.household.neighbourhood_code,
                case.team.name,
                case.title,
                case.status,
                case.opened_on,
                # Residents have no order of their own: compare them as a set.
                tuple(
                    sorted(
                        (r.first_name, r.last_name, r.birth_date, r.is_contact)
                        for r in case.household.residents.all()
                    )
                ),
                tuple(sorted(u.username for u in case.assigned_workers.all())),
                tuple(
                    (p.status, p.amount_requested, p.author.username)
                    for p in case.plans.order_by("id")
                ),
                tuple(
                    sorted(
                        (f.moment, f.due_on, f.status, f.measured, f.not_measured_reason)
                        for f in FollowUp.objects.filter(plan__case=case)
                    )
                ),
            )
        )
    return rows


def _delete_generated() -> None:
    cases = Case.objects.filter(household__reference__startswith="GEN-")
    plans = Plan.objects.filter(case__in=cases)
    Outcome.objects.filter(followup__plan__in=plans).delete()
    FollowUp.objects.filter(plan__in=plans).delete()
    ledger = LedgerEntry.objects.filter(plan__in=plans)
    # Append-only for the app (and PostgreSQL's trigger); a test may clear its own fixture, with
    # the triggers skipped for this one statement, as the suite's flush does (tests/conftest.py).
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET session_replication_role = replica")
        try:
            # The entries' free text (payee, note) first: it points at the entry.
            details = LedgerEntryDetail.objects.filter(entry__in=ledger)
            details._raw_delete(details.db)
            ledger._raw_delete(ledger.db)
        finally:
            if postgresql:
                cursor.execute("SET session_replication_role = DEFAULT")
    for model in (DecisionStep, CalculationSnapshot, ScenarioLine, Plan.obstacles.through):
        model.objects.filter(plan__in=plans).delete()
    plans.delete()
    Obstacle.objects.filter(case__in=cases).delete()
    Case.assigned_workers.through.objects.filter(case__in=cases).delete()
    cases.delete()
    _generated().delete()


@pytest.mark.django_db
def test_generates_the_asked_number_spread_over_teams():
    out = _generate(50, teams=8, batch_size=20)
    assert _generated().count() == 50
    assert Case.objects.filter(household__reference__startswith="GEN-").count() == 50
    assert Resident.objects.filter(household__reference__startswith="GEN-").count() >= 50
    teams = set(_generated().values_list("team__name", flat=True))
    assert len(teams) == 8
    assert Team.objects.count() == 8  # 4 demo teams + 4 fictional ones
    # The demo worker gets a real share of the cases of her team.
    werker = User.objects.get(username="werker")
    assert Case.objects.filter(
        household__reference__startswith="GEN-", assigned_workers=werker
    ).exists()
    assert "50/50 huishoudens" in out
    # Every case belongs to its household's team (access filtering relies on it).
    assert not Case.objects.exclude(team_id=F("household__team_id")).exists()


@pytest.mark.django_db
def test_same_seed_same_data_and_top_up_equals_one_run():
    _generate(50, seed=7)
    once = _snapshot()
    _delete_generated()

    _generate(20, seed=7, batch_size=7)
    _generate(50, seed=7, batch_size=13)  # tops up 21…50
    assert _snapshot() == once

    _delete_generated()
    _generate(50, seed=8)
    assert _snapshot() != once


@pytest.mark.django_db
def test_second_run_with_same_number_changes_nothing():
    _generate(30)
    before = _snapshot()
    out = _generate(30)
    assert "niets te doen" in out
    assert _snapshot() == before
    _generate(10)  # fewer than there are: never deletes
    assert _generated().count() == 30


@pytest.mark.django_db
def test_one_in_twenty_cases_gets_an_approved_plan_with_its_follow_ups():
    """Issue 13's bench: the cohorts and the record form need plans, payments and follow-ups."""
    _generate(200, teams=4)
    generated = Plan.objects.filter(case__household__reference__startswith="GEN-")
    assert generated.count() == 10
    assert FollowUp.objects.filter(plan__in=generated).count() == 30
    recorded = FollowUp.objects.filter(plan__in=generated, status="recorded")
    assert recorded.exists() and FollowUp.objects.filter(plan__in=generated, status="scheduled")
    # Measured with outcomes, or not measured with a reason: nothing half.
    for followup in recorded.prefetch_related("outcomes"):
        assert bool(followup.outcomes.all()) == (followup.measured == "yes")
        assert bool(followup.not_measured_reason) == (followup.measured == "not_measured")
    # Closed exactly when all three are recorded; unspent money released on closing.
    for plan in generated.prefetch_related("followups", "ledger"):
        moments = [f.status for f in plan.followups.all()]
        assert (plan.status == "closed") == (moments == ["recorded"] * 3)
        kinds = {e.kind: e.amount for e in plan.ledger.all()}
        rest = kinds["commitment"] - kinds["payment"]
        assert kinds.get("release", 0) == (rest if plan.status == "closed" else 0)
    # The cohorts count them, with a realised return for the measured ones.
    director = User.objects.filter(memberships__role=Role.DIRECTOR).first()
    figures = cohorts.plan_figures(cohorts.cohort_team_ids(director))
    mine = {
        f.plan_id: f for f in figures if f.plan_id in set(generated.values_list("id", flat=True))
    }
    assert mine and any(f.realised is not None for f in mine.values())
    # ... from the figures generate_data stored, as the services would have.
    stored = CohortFigures.objects.filter(plan_id__in=mine)
    assert {s.plan_id: (s.state, s.realised) for s in stored} == {
        pk: (f.state, f.realised) for pk, f in mine.items()
    }
    # Topping up: a second run adds no plans.
    _generate(200, teams=4)
    assert generated.count() == 10


def _generated_obstacles():
    from maatwerk.demo.generated_obstacles import EFFECT

    return Obstacle.objects.filter(effect=EFFECT)


def _obstacle_rows() -> list[tuple]:
    return list(
        _generated_obstacles()
        .order_by("case__household__reference", "created_at", "blocking_rule__code")
        .values_list("case__household__reference", "created_at", "blocking_rule__code")
    )


@pytest.mark.django_db
def test_obstacles_are_generated_spread_deterministic_and_topped_up():
    out = _generate(20, obstacles=60)
    assert _generated_obstacles().count() == 60
    assert "60/60 knelpunten" in out
    # Every generated case gets three; rules of the regelbank and newly described ones; days
    # over three years, so every period of the report has some.
    per_case = set(
        _generated_obstacles().values("case").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert per_case == {3}
    assert _generated_obstacles().filter(blocking_rule__isnull=False).exists()
    years = {d.year for d in _generated_obstacles().values_list("created_at", flat=True)}
    assert len(years) >= 3
    once = _obstacle_rows()
    _generated_obstacles().delete()
    _generate(20, obstacles=25)
    out = _generate(20, obstacles=60)  # tops up 26…60: the same as one run
    assert "25/60 knelpunten" in out
    assert _obstacle_rows() == once
    assert "niets te doen" in _generate(20, obstacles=60)
