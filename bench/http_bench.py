"""HTTP benchmark of Open Maatwerk's key pages against a minimal Django view, with wrk.

Called by ``bench/run.sh`` (``make bench``), which prepares the database and starts gunicorn:

    http_bench.py ensure-db                 create the benchmark database if it is missing
    http_bench.py run --base-url URL        log in, load every page in PAGES, print the table

``run`` needs the same environment as the server (DATABASE_URL, SECRET_KEY, …): it creates the
logged-in session directly in the database (see ``logged_in_session``).

Later issues add their pages to PAGES; nothing else needs to change.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass(frozen=True)
class Page:
    name: str
    # may hold {case_id} (a case of the user's, assigned to them), {plan_id} and {followup_id}
    # (a due, unrecorded follow-up of a generated plan of the user's: the record form)
    path: str
    logged_in: bool = True
    baseline: bool = False
    body: str | None = None  # JSON to POST (with the session's CSRF token); None = GET
    user: str | None = None  # another demo user to log in as; None = BENCH_USER


# The worked example of issue 3 plus a catalogue line, as the calculations API takes it.
_LINE = {"bearer": "municipality", "cost_type": "fiscal"}
CALCULATION = json.dumps(
    {
        "horizon_months": 60,
        "standard": [
            _LINE | {"label": "Bijstand", "amount": "1450.00", "unit": "per_month",
                     "cost_type": "transfer", "duration_months": 60},
            _LINE | {"label": "Schuldhulp", "amount": "2500.00", "unit": "per_case",
                     "start_month": 6, "probability": "0.6"},
        ],
        "tailored": [
            _LINE | {"label": "Kinderopvang", "amount": "6500.00", "unit": "per_event"},
        ],
    }
)  # fmt: skip
# A fixed CSRF secret sent as cookie and header: POSTs with session authentication need both.
CSRF_SECRET = "benchbenchbenchbenchbenchbench12"

# The pages measured, in order. The first baseline page is the yardstick for the ratio.
PAGES = [
    Page("minimal view", "/ping/", logged_in=False, baseline=True),
    Page("minimal view, logged in", "/ping/"),
    Page("start page", "/"),
    Page("case list", "/casussen/"),
    Page("my cases", "/casussen/?mine=1"),
    Page("case detail", "/casussen/{case_id}/"),
    Page("cost catalogue", "/kosten/"),
    Page("API case list", "/api/v1/cases/"),
    Page("plan", "/plannen/{plan_id}/"),
    Page("decisions inbox", "/besluiten/"),
    Page("budget overview (manager)", "/besluiten/budget/", user="manager"),
    Page("follow-up record form", "/vervolg/{followup_id}/"),
    Page("follow-up cohorts (team lead)", "/vervolg/cohorten/", user="teamleider"),
    Page(
        "follow-up cohorts per rule (manager)", "/vervolg/cohorten/?indeling=regel", user="manager"
    ),
    Page("follow-up cohorts (director)", "/vervolg/cohorten/", user="directeur"),
    Page(
        "follow-up cohorts per quarter (director)",
        "/vervolg/cohorten/?indeling=kwartaal",
        user="directeur",
    ),
    Page("calculator (example)", "/kosten/rekenhulp/?voorbeeld=kinderopvang"),
    Page("API calculation", "/api/v1/calculations/", body=CALCULATION),
    # The signal report (issue 14); the 1,000,000-obstacle run on PostgreSQL is its own bench.
    Page("signal report (policy analyst)", "/signalen/rapport/", user="beleid"),
    Page("signal report per team (director)", "/signalen/rapport/?per=team", user="directeur"),
    Page("API signal report (policy analyst)", "/api/v1/signals/report/", user="beleid"),
    # The library of good examples (issue 16): the list, a search (another inflection than the
    # demo texts hold) with a filter, and the suggestions on the case page above. Search over
    # 10,000 examples is its own bench: bench/bench_library_search.py.
    Page("library", "/bibliotheek/"),
    Page("library search", "/bibliotheek/?q=kinderopvangen&life_domain=income"),
]

# BENCH_ONLY=cohort,record measures only the pages whose name holds one of these words, next to
# the two minimal views (a quick look at one area; the full table needs every page).
ONLY = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]


def pages() -> list[Page]:
    if not ONLY:
        return PAGES
    return [p for p in PAGES if p.path == "/ping/" or any(w in p.name for w in ONLY)]


# Targets of issue 19 (they replace issue 2's "15 % of the minimal view, p95 ≤ 50 ms", which
# even the logged-in minimal view misses on 2 cores): per request at most this much CPU in the
# app workers and in PostgreSQL, and p95 at 16 connections at or below this many milliseconds.
# The share of the minimal view's req/s is still printed, for comparison between runs.
TARGET_APP_CPU_MS = 5.0
TARGET_DB_CPU_MS = 1.0
TARGET_P95_MS = 150.0

BENCH_USER = os.environ.get("BENCH_USER", "werker")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WARMUP_S = int(os.environ.get("BENCH_WARMUP", "2"))
SERVER_PID = int(os.environ["BENCH_SERVER_PID"]) if os.environ.get("BENCH_SERVER_PID") else None
DATABASE = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")
_RESULT = re.compile(r"^BENCH_RESULT (.*)$", re.MULTILINE)


class HarnessError(RuntimeError):
    """The benchmark itself broke (as opposed to a page being slow)."""


# -- database ----------------------------------------------------------------------------------


def ensure_db() -> None:
    """Create the database named in DATABASE_URL on its server, if it does not exist yet."""
    import psycopg
    from psycopg import sql

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    if url.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise HarnessError(f"the benchmark needs PostgreSQL, got {url.scheme}://")
    name = url.path.lstrip("/")
    params = {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": urllib.parse.unquote(url.username or "postgres"),
        "dbname": "postgres",
        "autocommit": True,
    }
    if url.password:
        params["password"] = urllib.parse.unquote(url.password)
    with psycopg.connect(**params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Database {name} created.")


# -- the logged-in user ------------------------------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.conf.settings")
    import django

    django.setup()


def session_cookie(user) -> str:
    """A Cookie header value for a session of `user` that has passed both login steps.

    Written straight into the session store, the way ``django.contrib.auth.login`` and
    ``django_otp.login`` leave it: user id, backend, password hash and the persistent id of a
    confirmed TOTP device (production requires the second factor). A confirmed device is
    created for the user in the benchmark database when there is none. This is a harness
    shortcut; no password or TOTP code is needed or stored.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def cookie_for(username: str) -> str:
    from maatwerk.accounts.models import User

    try:
        return session_cookie(User.objects.get(username=username))
    except User.DoesNotExist:
        raise HarnessError(f"user {username!r} missing: run load_demo first") from None


def logged_in_session() -> dict:
    """A two-step session for BENCH_USER, plus a case and a plan of theirs to show."""
    from maatwerk.accounts.models import User
    from maatwerk.cases.models import Case, Household

    try:
        user = User.objects.get(username=BENCH_USER)
    except User.DoesNotExist:
        raise HarnessError(f"user {BENCH_USER!r} missing: run load_demo first") from None
    cookie = session_cookie(user)
    case = (
        Case.objects.filter(assigned_workers=user, status=Case.Status.OPEN)
        .order_by("-opened_on", "-id")
        .first()
    )
    if case is None:
        raise HarnessError(f"user {BENCH_USER!r} has no open case: run generate_data first")
    return {
        "cookie": cookie,
        "case_id": case.pk,
        "plan_id": _bench_plan(user, case).pk,
        "followup_id": _bench_followup(user),
        "households": Household.objects.count(),
        "my_open_cases": Case.objects.filter(
            assigned_workers=user, status=Case.Status.OPEN
        ).count(),
    }


def _bench_followup(user) -> int:
    """A follow-up of the user's that is due and not recorded (generate_data makes them): the
    record form, as the start page's task list opens it."""
    from django.utils import timezone

    from maatwerk.followup.models import FollowUp

    followup = (
        FollowUp.objects.filter(
            plan__case__assigned_workers=user,
            status=FollowUp.Status.SCHEDULED,
            due_on__lte=timezone.localdate(),
        )
        .order_by("-due_on", "id")
        .first()
    )
    if followup is None:
        raise HarnessError(f"user {user.username!r} has no due follow-up: run generate_data")
    return followup.pk


def _bench_plan(user, case):
    """A draft plan (the worked example: €6,500 of childcare against a year of benefit) on the
    benchmark case, made once through the same services the pages use."""
    from decimal import Decimal

    from maatwerk.cases import services as case_services
    from maatwerk.legal.models import BlockingRule
    from maatwerk.plans import services as plan_services
    from maatwerk.plans.models import Plan

    plan = Plan.objects.filter(case=case, author=user).order_by("id").first()
    if plan is not None:
        return plan
    obstacle = case_services.add_obstacle(
        actor=user,
        case=case,
        blocking_rule=BlockingRule.objects.order_by("id").first(),
        effect="De toeslag wordt verrekend; de kinderopvang stopt.",
    )
    plan = plan_services.create_plan(
        user,
        case,
        [obstacle],
        solution="Kinderopvang betalen zodat zij kan blijven werken.",
        amount_requested=Decimal("6500.00"),
    )
    line = {"bearer": "municipality", "quantity": Decimal(1), "start_month": 0}
    line |= {"probability": Decimal(1), "cost_item_id": None}
    plan_services.set_scenarios(
        user,
        plan,
        standard=[
            line
            | {"label": "Bijstand", "amount": Decimal(1000), "unit": "per_month"}
            | {"cost_type": "transfer", "duration_months": 12}
        ],
        tailored=[
            line
            | {"label": "Kinderopvang", "amount": Decimal(6500), "unit": "per_event"}
            | {"cost_type": "fiscal", "duration_months": None}
        ],
        horizon_months=12,
        discount_rate=Decimal(0),
    )
    return plan


# -- measuring ---------------------------------------------------------------------------------


def _proc_cpu(server_pid: int | None, database: str) -> dict[int, tuple[str, int]] | None:
    """CPU ticks used so far per process: the gunicorn workers and this database's backends.

    Read from /proc (Linux). Unlike requests per second it hardly depends on what else runs on
    the machine, so it tells a slow page from a busy machine. None where /proc is unavailable.
    """
    proc = Path("/proc")
    if server_pid is None or not (proc / "self" / "stat").exists():
        return None
    # "postgres: [cluster: ]user database host(port) state", e.g. "postgres: 15/main: …"
    backend = re.compile(
        rf"^postgres: (?:\S+: )?\S+ {re.escape(database)} (?:\[local\]|\S+\(\d+\))"
    )
    found = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, ticks = int(fields[1]), int(fields[11]) + int(fields[12])
        if ppid == server_pid:
            found[int(entry.name)] = ("app", ticks)
        elif backend.match(cmdline):
            found[int(entry.name)] = ("db", ticks)
    return found


def _cpu_ms_per_request(before, after, requests: int) -> dict:
    """Per request: CPU milliseconds in the app workers and in PostgreSQL during one run."""
    if before is None or after is None or not requests:
        return {"cpu_ms_app": None, "cpu_ms_db": None}
    used = {"app": 0, "db": 0}
    for pid, (kind, ticks) in after.items():
        used[kind] += ticks - before.get(pid, (kind, 0))[1]
    scale = 1000 / os.sysconf("SC_CLK_TCK") / requests
    return {"cpu_ms_app": used["app"] * scale, "cpu_ms_db": used["db"] * scale}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _headers(cookie: str | None, body: str | None) -> dict[str, str]:
    headers = {}
    if cookie:
        headers["Cookie"] = cookie + (f"; csrftoken={CSRF_SECRET}" if body else "")
    if body:
        headers |= {"Content-Type": "application/json", "X-CSRFToken": CSRF_SECRET}
    return headers


def preflight(url: str, cookie: str | None, body: str | None = None) -> None:
    """The page must answer 200 as is: wrk counts a redirect to the login page as a success."""
    request = urllib.request.Request(
        url, headers=_headers(cookie, body), data=body.encode() if body else None
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    if status != 200:
        raise HarnessError(f"{url} answered {status}, not 200 (session or data not right?)")


def wrk(url: str, cookie: str | None, seconds: int, body: str | None = None) -> dict:
    cmd = [
        "wrk",
        f"--connections={CONNECTIONS}",
        f"--threads={THREADS}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={BENCH_DIR / 'report.lua'}",
    ]
    for name, value in _headers(cookie, body).items():
        cmd += ["--header", f"{name}: {value}"]
    cmd.append(url)
    env = os.environ | {"BENCH_BODY": body or ""}  # report.lua turns the request into a POST
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=False, timeout=seconds + 60, env=env
    )
    match = _RESULT.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise HarnessError(f"wrk failed on {url}: {done.stdout}\n{done.stderr}")
    figures = {}
    for pair in match.group(1).split():
        key, value = pair.split("=", 1)
        figures[key] = float(value) if "." in value else int(value)
    return figures


def measure(base_url: str, duration: int) -> dict:
    session = logged_in_session()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    rows = []
    baseline_rps = None
    for page in pages():
        url = base_url.rstrip("/") + page.path.format(
            case_id=session["case_id"],
            plan_id=session["plan_id"],
            followup_id=session["followup_id"],
        )
        cookie = None
        if page.logged_in:
            cookie = cookie_for(page.user) if page.user else session["cookie"]
        preflight(url, cookie, page.body)
        if WARMUP_S > 0:
            wrk(url, cookie, WARMUP_S, page.body)
        cpu_before = _proc_cpu(SERVER_PID, DATABASE)
        figures = wrk(url, cookie, duration, page.body)
        cpu_after = _proc_cpu(SERVER_PID, DATABASE)
        figures |= _cpu_ms_per_request(cpu_before, cpu_after, figures["requests"])
        if page.baseline and baseline_rps is None:
            baseline_rps = figures["rps"]
        ratio = figures["rps"] / baseline_rps * 100 if baseline_rps else None
        verdict = None
        if not page.baseline:
            app, db = figures["cpu_ms_app"], figures["cpu_ms_db"]
            ok = app is not None and app <= TARGET_APP_CPU_MS and db <= TARGET_DB_CPU_MS
            ok = ok and figures["p95_ms"] <= TARGET_P95_MS
            verdict = "PASS" if ok else "MISS"
        rows.append(
            {
                **asdict(page) | {"body": bool(page.body)},
                "url_path": url[len(base_url.rstrip("/")) :],
                **figures,
            }
            | {"ratio_pct": ratio, "verdict": verdict}
        )
        print(f"  {page.name}: {figures['rps']:.0f} req/s, p95 {figures['p95_ms']:.1f} ms")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "commit": _git_commit(),
        "households": session["households"],
        "user": BENCH_USER,
        "user_open_cases": session["my_open_cases"],
        "server": os.environ.get("BENCH_SERVER", "gunicorn"),
        "connections": CONNECTIONS,
        "threads": THREADS,
        "duration_s": duration,
        "warmup_s": WARMUP_S,
        "targets": {
            "app_cpu_ms_max": TARGET_APP_CPU_MS,
            "db_cpu_ms_max": TARGET_DB_CPU_MS,
            "p95_ms_max": TARGET_P95_MS,
        },
        "pages": rows,
        "load_before": load_before,
        "load_after": os.getloadavg()[0] if load_before is not None else None,
    }


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip()


def table(result: dict) -> str:
    header = ("page", "path", "req/s", "p50 ms", "p95 ms", "% of ping", "target", "CPU ms app+db")
    lines = []
    for row in result["pages"]:
        lines.append(
            (
                row["name"],
                row["url_path"],
                f"{row['rps']:.0f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p95_ms']:.1f}",
                "baseline" if row["baseline"] else f"{row['ratio_pct']:.1f}",
                row["verdict"] or "—",
                ""
                if row["cpu_ms_app"] is None
                else f"{row['cpu_ms_app']:.1f}+{row['cpu_ms_db']:.1f}",
            )
            + ((f"errors: {row['non_2xx_3xx']} status, {row['socket_errors']} socket",)
               if row["non_2xx_3xx"] or row["socket_errors"] else ())
        )  # fmt: skip
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(len(header))]
    out = [
        f"{result['households']:,} households · {result['date']} · {result['machine']['cpus']} "
        f"CPUs · {result['server']} · wrk {result['connections']} connections, "
        f"{result['threads']} threads, {result['duration_s']} s per page",
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    for line in lines:
        cells = [
            c.rjust(w) if i in (2, 3, 4, 5, 7) else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=False))
        ]
        out.append("  ".join([*cells, *line[len(widths) :]]).rstrip())
    out.append(
        f"target (issue 19): ≤ {TARGET_APP_CPU_MS:.0f} ms app CPU and ≤ {TARGET_DB_CPU_MS:.0f} ms "
        f"database CPU per request, p95 ≤ {TARGET_P95_MS:.0f} ms. "
        "CPU ms: per request, in the gunicorn workers + in PostgreSQL."
    )
    if result.get("load_before") is not None:
        out.append(
            f"machine load average before/after: {result['load_before']:.2f} / "
            f"{result['load_after']:.2f} (other work on the machine lowers req/s, hardly CPU ms)"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ensure-db")
    run = sub.add_parser("run")
    run.add_argument("--base-url", required=True)
    run.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    args = parser.parse_args()
    try:
        if args.command == "ensure-db":
            ensure_db()
            return 0
        _django()
        print(f"Measuring {len(pages())} pages, {args.duration} s each after {WARMUP_S} s warm-up…")
        result = measure(args.base_url, args.duration)
    except HarnessError as e:
        print(f"benchmark harness error: {e}", file=sys.stderr)
        return 2
    print()
    print(table(result))
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = results_dir / f"http-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (results_dir / "http-latest.txt").write_text(table(result) + "\n", encoding="utf-8")
    print(f"\nWritten to {path.relative_to(ROOT)}")
    return 0  # slow pages never fail the run; only a broken harness does


if __name__ == "__main__":
    sys.exit(main())
