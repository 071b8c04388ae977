"""Search and suggestions in the library of good examples (issue 16) over 10,000 examples:
queries, app CPU and database time per search, median of N after a warm-up, against issue 19's
target (≤ 5 ms app CPU and ≤ 1 ms database per request). Never fails on time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerk_bench_library \\
        .venv/bin/python bench/bench_library_search.py [--examples 10000] [--runs 20]
    DATABASE_URL=sqlite:///var/bench_library.sqlite3 .venv/bin/python bench/bench_library_search.py

The database is created and migrated when missing, the demo data loaded, and approved examples
generated (bulk, straight into the tables, then indexed in batches) up to --examples; a later
run tops up only. The texts are made of social-domain words in several inflections, so the
stemmed search has realistic posting lists: a common word matches thousands of examples.

Per line: `core` is `core.search.search` alone (the index query: ids and ranks), `selector`
is `library.search.search_examples` (visibility, filters, the rows, the snippets), `page` is
GET /bibliotheek/?q=… through Django's test client (all of it plus rendering), `suggest` is
`library.suggest.suggest_examples` for a case with a blocking rule. CPU ms is this process's
CPU time (Python), query ms the time the queries took as the process saw them, wall ms the
whole request as the clock saw it (on a shared, loaded machine the CPU figure is the steadier
one). `--reindex` rebuilds the index of a database generated before (after a change of what is
indexed, such as the compound parts).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.conf.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maatwerk_bench_library")


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
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from maatwerk.accounts.models import Membership, User  # noqa: E402
from maatwerk.cases.models import Case  # noqa: E402
from maatwerk.core import search as core_search  # noqa: E402
from maatwerk.core.domains import LifeDomain  # noqa: E402
from maatwerk.followup.models import Outcome  # noqa: E402
from maatwerk.legal.models import BlockingRule, Provision  # noqa: E402
from maatwerk.library import search, suggest  # noqa: E402
from maatwerk.library.models import Example, ExampleLifeDomain  # noqa: E402

TARGET_CPU_MS, TARGET_DB_MS = 5.0, 1.0

# Words of the social domain, each in more than one inflection (the stemmer must join them).
WORDS_TEXT = (
    "huurachterstand huurachterstanden schuld schulden schuldeiser schuldeisers "
    "betalingsregeling betalingsregelingen kwijtschelding bijstand bijstandsuitkering "
    "uitkering uitkeringen toeslag toeslagen terugvordering terugvorderingen boete boetes "
    "woning woningen verhuurder ontruiming ontruimingen beslag beslaglegging inkomen "
    "inkomens werkgever werk baan banen zorgverzekering zorgpremie premie premies "
    "energierekening energie kinderopvang opvang school scholen gezin gezinnen moeder vader "
    "kinderen kind jongere jongeren budgetcoach bewindvoering schuldhulpverlening aanvraag "
    "aanvragen beslissing besluit besluiten termijn termijnen overleg wijkteam gemeente "
    "gemeenten maatwerk oplossing oplossingen regeling energieachterstand"
)
WORDS = WORDS_TEXT.split()
FILLER_TEXT = "de het een en van voor met naar door bij op in dat die was werd kon"
FILLER = FILLER_TEXT.split()
QUERIES = [
    ("most common word", "huurachterstanden"),
    ("common word", "betalingsregeling"),
    ("rarer word", "bewindvoering"),
    ("two words (AND)", "schulden kwijtschelding"),
    ("three words (AND)", "woning uitkering toeslagen"),
    ("word in no example", "zonnepanelen"),
    # Found only as the last part of compounds (huurachterstand, energieachterstand).
    ("compound's last part", "achterstand"),
    ("garbage", '"* NEAR( -'),
]


def _vocabulary(rng: random.Random, n: int = 3000) -> list[str]:
    """Made-up words for everything else a story says (the index must hold many terms)."""
    syllables = "ba be bo da de di ge ka ke ko la le lo ma me mo na ne no pa pe ra re ro sa "
    syllables += "se ta te to va ve wa we za ze"
    parts = syllables.split()
    return ["".join(rng.choice(parts) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def _zipf(words: list[str]) -> list[float]:
    # Word frequencies fall off as 1/rank, as in real text: few common, many rare words.
    return [1 / (rank + 1) for rank in range(len(words))]


def _sentence(rng: random.Random, n: int, other: list[str], weights: list[float]) -> str:
    topical = rng.choices(WORDS, weights=_zipf(WORDS), k=n)
    rest = rng.choices(other, weights=weights, k=n)
    words = [
        t if r < 0.15 else (rng.choice(FILLER) if r < 0.45 else o)
        for t, o, r in zip(topical, rest, (rng.random() for _ in range(n)), strict=True)
    ]
    return " ".join(words).capitalize() + "."


def generate(total: int) -> None:
    have = Example.objects.filter(title__startswith="Bench ").count()
    if have >= total:
        return
    rng = random.Random(have)
    worker = User.objects.get(username="werker")
    reviewer = User.objects.get(username="teamleider")
    team = Membership.objects.filter(user=worker).exclude(team=None).first().team
    organisation = worker.organisation
    rules = list(BlockingRule.objects.values_list("pk", flat=True))
    provisions = list(Provision.objects.values_list("pk", flat=True))
    outcomes = [""] * 3 + list(Outcome.Code.values)
    now = timezone.now()
    other = _vocabulary(rng)
    weights = _zipf(other)
    print(f"generating {total - have:,} examples …", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    with transaction.atomic():
        for start in range(have, total, 2000):
            batch = [
                Example(
                    organisation=organisation,
                    team=team,
                    status=Example.Status.APPROVED,
                    title=f"Bench {n}: " + _sentence(rng, 6, other, weights),
                    story=" ".join(
                        _sentence(rng, rng.randint(8, 20), other, weights) for _ in range(6)
                    ),
                    lessons=_sentence(rng, 12, other, weights) if rng.random() < 0.3 else "",
                    blocking_rule_id=rng.choice(rules) if rules else None,
                    standard_total=Decimal(rng.randrange(1000, 60000, 100)),
                    tailored_total=Decimal(rng.randrange(100, 20000, 100)),
                    outcome_code=rng.choice(outcomes),
                    proposed_by=worker,
                    proposed_at=now,
                    reviewed_by=reviewer,
                    reviewed_at=now,
                )
                for n in range(start, min(start + 2000, total))
            ]
            Example.objects.bulk_create(batch)
            through = Example.provisions.through
            through.objects.bulk_create(
                through(example_id=e.pk, provision_id=p)
                for e in batch
                for p in rng.sample(provisions, min(len(provisions), rng.randint(1, 3)))
            )
            ExampleLifeDomain.objects.bulk_create(
                ExampleLifeDomain(example_id=e.pk, domain=d)
                for e in batch
                for d in rng.sample(LifeDomain.values, rng.randint(1, 3))
            )
    _reindex(t0, c0)


def _reindex(t0=None, c0=None) -> None:
    t0 = time.perf_counter() if t0 is None else t0
    c0 = time.process_time() if c0 is None else c0
    indexed = search.reindex_all()
    print(
        f"… {indexed:,} examples indexed in {time.perf_counter() - t0:.1f} s wall, "
        f"{time.process_time() - c0:.1f} s CPU of this process",
        flush=True,
    )


def _measure(fn, runs):
    result = fn()  # warm-up
    cpu, db, wall = [], [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        db.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    return (
        result,
        len(queries),
        statistics.median(cpu),
        statistics.median(db),
        statistics.median(wall),
    )


def _line(what, label, hits, n_queries, cpu, db, wall) -> None:
    verdict = "PASS" if cpu <= TARGET_CPU_MS and db <= TARGET_DB_MS else "MISS"
    print(
        f"{what:8} {label:24} {hits:>6} {n_queries:>7} {cpu:>8.2f} {db:>8.2f} {wall:>8.2f}  "
        f"{verdict}"
    )


def main(total: int, runs: int, reindex: bool = False) -> None:
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="werker").exists():
        call_command("load_demo", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    generate(total)
    if reindex:  # a database generated before a change of what the index holds
        _reindex()
    reset_queries()  # the load's queries would crowd the first measurement out of the log
    if connection.vendor == "postgresql":
        # Fresh statistics and a clean index, as autovacuum leaves them after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE library_example")
            cursor.execute("VACUUM ANALYZE core_searchdocument")
    user = User.objects.get(username="werker")
    n = Example.objects.filter(status=Example.Status.APPROVED).count()
    print(
        f"\n{n:,} approved examples · {connection.vendor} · {os.cpu_count()} CPUs · "
        f"load average {tuple(round(x, 2) for x in os.getloadavg())} · median of {runs}"
    )
    print(f"target per request: ≤ {TARGET_CPU_MS} ms app CPU, ≤ {TARGET_DB_MS} ms database")
    print(
        f"{'what':8} {'query':24} {'hits':>6} {'queries':>7} {'CPU ms':>8} {'query ms':>8} "
        f"{'wall ms':>8}"
    )
    client = Client()
    client.force_login(user)
    for label, q in QUERIES:
        hits, nq, cpu, db, wall = _measure(
            lambda q=q: core_search.search(search.KIND, q, limit=search.MAX_RESULTS), runs
        )
        _line("core", label, len(hits), nq, cpu, db, wall)
        found, nq, cpu, db, wall = _measure(lambda q=q: search.search_examples(user, q), runs)
        _line("selector", label, len(found), nq, cpu, db, wall)
        response, nq, cpu, db, wall = _measure(
            lambda q=q: client.get("/bibliotheek/?" + urlencode({"q": q})), runs
        )
        assert response.status_code == 200, response.status_code
        _line("page", label, len(found), nq, cpu, db, wall)
    rule = Example.objects.exclude(blocking_rule=None).values_list("blocking_rule", flat=True)[0]
    case = Case.objects.filter(obstacles__blocking_rule=rule).first()
    if case is not None:
        found, nq, cpu, db, wall = _measure(lambda: suggest.suggest_examples(case, user), runs)
        _line("suggest", f"case {case.pk}", len(found), nq, cpu, db, wall)
    else:
        print("suggest: no demo case has a blocking rule of the generated examples")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--reindex", action="store_true", help="rebuild the index of an existing database"
    )
    args = parser.parse_args()
    main(args.examples, args.runs, args.reindex)
