"""Generated obstacles for the signal-report benchmark (issue 14: 1,000,000 obstacles).

    manage.py generate_data --households 100000 --obstacles 1000000

Obstacle number *k* (1, 2, …) goes to the ((k - 1) mod C)-th generated case in reference order
(C generated cases), so the obstacles spread evenly over the households; its rule and day come
from a random generator seeded with the seed and *k*. A few rules are common and most are rare
(weights 1, 1/2, 1/3, … by rule id), one in 20 is a newly described rule. The day lies within
three years before the reference day (so every period of the report has obstacles).

Deterministic for the same seed and number of generated cases; tops up: the wanted number is a
total, the missing ones are added in batches (one transaction each), nothing is deleted. A
generated obstacle is recognised by its effect text (`EFFECT`). Bypasses the services (no
audit events): a benchmark fixture.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from maatwerk.cases import grouping
from maatwerk.cases.models import Case, Obstacle
from maatwerk.legal.models import BlockingRule

EFFECT = "Gegenereerd knelpunt (benchmark)."
NEW_RULE_TEXT = "Een regel die nog niet in de bank staat (gegenereerd)."
NEW_RULE_SHARE = 0.05


def existing() -> int:
    return Obstacle.objects.filter(effect=EFFECT).count()


@contextmanager
def _own_created_at():
    """Let bulk_create keep the generated `created_at` (the field is auto_now_add)."""
    field = Obstacle._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def top_up(
    wanted: int,
    *,
    seed: int,
    reference_date: date,
    prefix: str,
    batch_size: int,
    say: Callable[[str], None],
) -> int:
    """Add generated obstacles up to `wanted`; the number added."""
    have = existing()
    if have >= wanted:
        say(f"Er zijn al {have} gegenereerde knelpunten (gevraagd: {wanted}); niets te doen.")
        return 0
    cases = list(
        Case.objects.filter(household__reference__startswith=prefix)
        .order_by("household__reference")
        .values_list("id", flat=True)
    )
    if not cases:
        say("Geen gegenereerde casussen: maak eerst huishoudens (--households).")
        return 0
    # Where each case's obstacles belong (cases.grouping owns the rule; bulk_create skips save).
    where = grouping.for_cases(cases)
    rules = list(BlockingRule.objects.order_by("id").values_list("id", "applied_by"))
    weights = [1 / (i + 1) for i in range(len(rules))]
    tz = timezone.get_current_timezone()
    say(f"{have}/{wanted} knelpunten aanwezig; {wanted - have} erbij over {len(cases)} casussen…")
    with _own_created_at():
        for start in range(have, wanted, batch_size):
            stop = min(start + batch_size, wanted)
            rows = []
            for k in range(start + 1, stop + 1):
                rng = random.Random(f"{seed}:obstacle:{k}")
                new = not rules or rng.random() < NEW_RULE_SHARE
                rule = None if new else rng.choices(rules, weights)[0]
                day = reference_date - timedelta(days=rng.randint(0, 3 * 365 - 1))
                case_id = cases[(k - 1) % len(cases)]
                rows.append(
                    Obstacle(
                        case_id=case_id,
                        **where[case_id],
                        blocking_rule_id=rule[0] if rule else None,
                        description_new_rule=NEW_RULE_TEXT if new else "",
                        applied_by=rule[1] if rule else "municipality",
                        effect=EFFECT,
                        created_at=datetime.combine(day, time(9 + k % 8, k % 60), tz),
                    )
                )
            with transaction.atomic():
                Obstacle.objects.bulk_create(rows, batch_size=5000)
            say(f"{stop}/{wanted} knelpunten…")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Obstacle._meta.db_table}")
    return wanted - have
