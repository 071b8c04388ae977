"""Time the signal report (issue 14) over a large data set on PostgreSQL: queries, app CPU and
wall time per report, median of N after a warm-up, for a few users, periods and breakdowns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sig6_bench \\
        .venv/bin/python bench/bench_signal_report.py [BENCH_RUNS=3]

Make the data first (README, "The signal report over 1,000,000 obstacles"):
    manage.py generate_data --households 100000 --obstacles 1000000

Two measures per line: `report` is `selectors.signal_report` (the reads and the counting and
suppression, what the page and the API share); `page` is the whole page through Django's test
client (the report plus rendering). CPU ms is this process's CPU time (Python), query ms the
time the queries took as the process saw it (PostgreSQL plus transfer), wall ms both plus
waiting for a CPU on a busy machine. The target (issue 14): under 1 s with a fixed number of
queries.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.conf.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maatwerk.accounts.models import User  # noqa: E402
from maatwerk.cases.models import Obstacle  # noqa: E402
from maatwerk.signals import report, selectors  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CASES = [
    # user, period, breakdown
    ("teamleider", "2026-K3", None),
    ("directeur", "2026-K3", None),
    ("directeur", "2026", None),
    ("directeur", "2025", "team"),
    ("beleid", "2025", "wijk"),
]


def _measure(fn):
    fn()  # warm-up
    cpu, wall, db = [], [], []
    for _ in range(RUNS):
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
        statistics.median(wall),
        statistics.median(db),
    )


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    total = Obstacle.objects.count()
    print(f"{total:,} obstacles · {os.cpu_count()} CPUs · load average {os.getloadavg()}")
    print(
        f"{'user':11} {'period':8} {'per':5} {'obstacles':>9} {'what':6} {'queries':>7} "
        f"{'CPU ms':>8} {'query ms':>8} {'wall ms':>8}"
    )
    for username, key, breakdown in CASES:
        user = User.objects.get(username=username)
        period = report.parse_period(key)
        teams = selectors.report_team_ids(user)
        n = Obstacle.objects.filter(
            case__team_id__in=teams,
            created_at__gte=selectors._aware(period.start),
            created_at__lt=selectors._aware(period.end),
        ).count()
        _r, q, cpu, wall, db = _measure(
            lambda u=user, p=period, b=breakdown: selectors.signal_report(u, p, breakdown=b)
        )
        print(
            f"{username:11} {key:8} {breakdown or '-':5} {n:9,} {'report':6} {q:7} "
            f"{cpu:8.0f} {db:8.0f} {wall:8.0f}"
        )
        client = Client()
        client.force_login(user)
        path = f"/signalen/rapport/?periode={key}&per={breakdown or ''}"
        response, q, cpu, wall, db = _measure(lambda c=client, p=path: c.get(p))
        assert response.status_code == 200, (path, response.status_code)
        print(f"{'':11} {'':8} {'':5} {'':9} {'page':6} {q:7} {cpu:8.0f} {db:8.0f} {wall:8.0f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
