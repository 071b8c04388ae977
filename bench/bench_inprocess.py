"""Time pages in one process with Django's test client against a database (no HTTP server, no
wrk): queries per request, app CPU (process time) and wall time, median of N after a warm-up.
For a machine too busy for wrk (see README, follow-up section).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerk_bench_f13jb \\
        .venv/bin/python bench/bench_inprocess.py teamleider:/vervolg/cohorten/ ...
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

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def main(pages: list[str]) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    print(f"{'user':12} {'path':40} {'queries':>7} {'CPU ms':>8} {'wall ms':>8}")
    for spec in pages:
        username, path = spec.split(":", 1)
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(path)  # warm-up
        cpu, wall = [], []
        for _ in range(RUNS):
            c0, w0 = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        assert response.status_code == 200, (spec, response.status_code)
        print(
            f"{username:12} {path:40} {len(queries):7} {statistics.median(cpu):8.1f} "
            f"{statistics.median(wall):8.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
