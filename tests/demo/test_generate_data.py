"""The benchmark data generator: counts, determinism and top-up behaviour."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from maatwerk.accounts.models import Team, User
from maatwerk.cases.models import Case, Household, Resident


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
            )
        )
    return rows


def _delete_generated() -> None:
    cases = Case.objects.filter(household__reference__startswith="GEN-")
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
