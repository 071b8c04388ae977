"""Ingestion of partner signals (issue 15): 10,000 signals in batches of 1,000 through
POST /api/v1/vroegsignalen, in one process with Django's test client (no HTTP server), on
PostgreSQL. Prints per batch the wall time, the signals per second and the number of queries;
then the same batches again (all replays: 200, nothing created). Never fails on time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerk_bench_signals \\
        .venv/bin/python bench/bench_early_signals.py [--signals 10000] [--batch 1000]

The database is created and migrated when missing. Every run makes a partner of its own, so
runs do not replay each other's signals. A fifth of the signals are about a person an earlier
handled signal named (so the repeat lookup has rows to find); half of those have a risen amount.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.conf.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maatwerk_bench_signals")


def _ensure_database() -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    if not url.scheme.startswith("postgres"):
        return
    import psycopg

    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


_ensure_database()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maatwerk.accounts.models import Membership, Organisation, Team, User  # noqa: E402
from maatwerk.accounts.roles import Role  # noqa: E402
from maatwerk.api import services as api_services  # noqa: E402
from maatwerk.partners import services  # noqa: E402
from maatwerk.partners.models import EarlySignal, Status  # noqa: E402


def _admin() -> User:
    organisation, _ = Organisation.objects.get_or_create(name="Gemeente Bench")
    _team, _ = Team.objects.get_or_create(organisation=organisation, name="Wijkteam Bench")
    user = User.objects.filter(username="bench.beheer").first()
    if user is None:
        user = User.objects.create_user("bench.beheer", organisation=organisation)
        Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    return user


def _signal(n: int, rng: random.Random, person: int, amount: int) -> dict:
    today = date.today()
    return {
        "partnerSignaalId": f"B-{n:07d}",
        "soortSignaal": "vroeg",
        "crisissignaal": rng.random() < 0.05,
        "bedrag": amount,
        "ontstaansdatum": (today - timedelta(days=90)).isoformat(),
        "signaaldatum": today.isoformat(),
        "huurvoorwaarden": {
            "herinneringVerstuurdOp": (today - timedelta(days=30)).isoformat(),
            "persoonlijkContactGezocht": True,
            "gewezenOpSchuldhulpverlening": True,
            "geenBezwaarTegenDoorgifte": True,
        },
        "persoon": {
            "postcode": f"{1000 + person % 9000}AB",
            "huisnummer": 1 + person // 9000,
            "geboortedatum": "1980-05-17",
        },
        "contactgegevens": {"telefoonnummer": "06 12345678"},
    }


def main(total: int, batch: int) -> None:
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    settings.MAATWERK_PARTNER_RATE = "1000000/min"
    admin = _admin()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    partner = services.create_partner(
        actor=admin, organisation=admin.organisation, name=f"Bench {stamp}", type="Huur"
    )
    secret = api_services.issue_token(actor=admin, client=partner.api_client)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rng = random.Random(2026)

    # Earlier handled signals: persons 0..total/5, amount 500 (so repeats have history).
    earlier = total // 5
    EarlySignal.objects.bulk_create(
        EarlySignal(
            partner=partner, partner_signal_id=f"E-{p}", kind="vroeg", amount=500,
            signal_date=date.today() - timedelta(days=30), postcode=f"{1000 + p % 9000}AB",
            house_number=1 + p // 9000, birth_date=date(1980, 5, 17), status=Status.PICKED_UP,
            person_key=services._person_key({
                "postcode": f"{1000 + p % 9000}AB", "house_number": 1 + p // 9000,
                "birth_date": date(1980, 5, 17),
            }),
        )
        for p in range(earlier)
    )  # fmt: skip

    batches = []
    for start in range(0, total, batch):
        signals = []
        for n in range(start, min(start + batch, total)):
            person = n  # persons below `earlier` have a handled signal already
            amount = rng.choice([500, 750]) if person < earlier else rng.randint(100, 5000)
            signals.append(_signal(n, rng, person, amount))
        batches.append(json.dumps({"vroegsignalen": signals}))

    for label in ("new", "replay"):
        print(f"\n{label}: {total} signals in batches of {batch} on {connection.vendor}")
        print(f"{'batch':>5} {'wall ms':>9} {'signals/s':>10} {'queries':>8} {'statuses':>24}")
        walls = []
        for i, body in enumerate(batches):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.post(
                    "/api/v1/vroegsignalen", body, content_type="application/json"
                )
            wall = time.perf_counter() - t0
            walls.append(wall)
            assert response.status_code == 200, response.content[:500]
            results = response.json()["resultaten"]
            counts = {}
            for r in results:
                key = r["status"] if r["status"] != 201 else r["vroegsignaal"]["status"][:12]
                counts[key] = counts.get(key, 0) + 1
            print(
                f"{i:5} {wall * 1000:9.0f} {len(results) / wall:10.0f} {len(queries):8} "
                f"{' '.join(f'{k}:{v}' for k, v in sorted(counts.items(), key=str)):>24}"
            )
        print(
            f"total {sum(walls):.1f} s, median batch {statistics.median(walls) * 1000:.0f} ms, "
            f"{total / sum(walls):.0f} signals/s"
        )
    stored = EarlySignal.objects.filter(partner=partner).count()
    print(f"\nstored for this partner: {stored} ({earlier} earlier + {total} new)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signals", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    main(args.signals, args.batch)
