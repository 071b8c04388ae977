"""Generate a large synthetic data set for benchmarks: households, residents and cases.

    manage.py generate_data --households 100000 [--obstacles 1000000] [--seed 1] [--teams 8]
        [--batch-size 5000]

Everything is fictional: names are drawn from the small lists in ``demo.situations``, references
are ``GEN-0000001`` and up. The data is spread over ``--teams`` teams of the two demo
organisations (the four demo teams first, extra fictional teams are added when more are asked
for), each with a few generated workers. In the teams of the demo workers ``werker`` and
``werker2`` about half of the cases are assigned to them, so their "my cases" is large.

Deterministic: household number *n* always gets the same team, residents, case and workers for
the same seed and team count, however the run is split into batches.

Tops up, never deletes: ``--households`` is the wanted total of generated households. When fewer
exist, the missing ones (numbers count+1 … total) are added; when that many or more exist,
nothing changes. A run that is interrupted keeps every completed batch (each batch is one
transaction), so running the same command again finishes the job.

Bypasses the services on purpose (bulk inserts, no audit events): it is a benchmark fixture, not
a way to enter cases.

``--obstacles N`` adds generated obstacles up to a total of N over the generated cases (for the
signal-report benchmark; ``demo.generated_obstacles``), also topping up.
"""

import random
import time
from datetime import date, timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from maatwerk.accounts.models import Membership, Organisation, Team, TeamArea, User
from maatwerk.accounts.roles import Role
from maatwerk.cases.models import Case, Household, Resident
from maatwerk.demo import generated_obstacles, generated_plans
from maatwerk.demo.situations import FIRST_NAMES, LAST_NAMES, SITUATIONS

from .load_demo import ORGANISATIONS

REFERENCE_PREFIX = "GEN-"
# Dates are relative to a fixed day, so the same seed gives the same data on any day.
REFERENCE_DATE = date(2026, 11, 1)
WORKERS_PER_TEAM = 6
# In the teams of the demo workers, this share of the cases is theirs.
DEMO_WORKER_SHARE = 0.5
UNASSIGNED_SHARE = 0.1
SECOND_WORKER_SHARE = 0.05
CLOSED_SHARE = 0.15
# Fictional extra teams, alternating between the two demo organisations.
EXTRA_TEAMS = ["West", "Oost", "Noord", "Zuid", "Haven", "Dorp", "Veld", "Beek"]


class Command(BaseCommand):
    help = "Generate synthetic households, residents and cases for benchmarks (tops up)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True, help="wanted total")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--teams", type=int, default=8)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--obstacles", type=int, default=0, help="wanted total of generated obstacles"
        )

    def handle(self, *args, obstacles: int = 0, **options):
        if obstacles < 0:
            raise CommandError("--obstacles must be ≥ 0.")
        self._households(**options)
        if obstacles:
            started = time.monotonic()
            added = generated_obstacles.top_up(
                obstacles,
                seed=options["seed"],
                reference_date=REFERENCE_DATE,
                prefix=REFERENCE_PREFIX,
                batch_size=max(options["batch_size"], 10000),
                say=self.stdout.write,
            )
            if added:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{added} gegenereerde knelpunten in {time.monotonic() - started:.1f} s."
                    )
                )

    def _households(
        self, *, households: int, seed: int, teams: int, batch_size: int, **options
    ) -> None:
        if households < 0 or teams < 1 or batch_size < 1:
            raise CommandError("--households must be ≥ 0, --teams and --batch-size ≥ 1.")
        if not User.objects.filter(username="werker").exists():
            call_command("load_demo", stdout=self.stdout)

        existing = Household.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
        if existing >= households:
            self.stdout.write(
                f"Er zijn al {existing} gegenereerde huishoudens (gevraagd: {households}); "
                "niets te doen."
            )
            self._plans(seed, batch_size)
            return

        team_list = self._teams(teams)
        pools = self._workers(team_list)
        started = time.monotonic()
        self.stdout.write(
            f"{existing}/{households} huishoudens aanwezig; "
            f"{households - existing} erbij over {len(team_list)} teams…"
        )
        for start in range(existing, households, batch_size):
            stop = min(start + batch_size, households)
            with transaction.atomic():
                self._batch(range(start + 1, stop + 1), seed, team_list, pools)
            self.stdout.write(f"{stop}/{households} huishoudens…")
        if connection.vendor == "postgresql":
            tables = [m._meta.db_table for m in (Household, Resident, Case)]
            tables.append(Case.assigned_workers.through._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(tables))
        self.stdout.write(
            self.style.SUCCESS(
                f"{households} gegenereerde huishoudens in {time.monotonic() - started:.1f} s."
            )
        )
        self._plans(seed, batch_size)

    def _plans(self, seed: int, batch_size: int) -> None:
        """Approved plans with follow-ups for one in PLAN_EVERY generated cases (tops up)."""
        template = generated_plans.template_plan()
        if template is None:
            self.stdout.write("Geen goedgekeurd demoplan als voorbeeld: geen plannen gemaakt.")
            return
        todo = generated_plans.missing(REFERENCE_PREFIX)
        if not todo:
            return
        started = time.monotonic()
        maker = generated_plans.PlanGenerator(seed, REFERENCE_DATE, template)
        step = max(1, batch_size // 5)
        for start in range(0, len(todo), step):
            maker.batch(todo[start : start + step])
            self.stdout.write(f"{min(start + step, len(todo))}/{len(todo)} plannen…")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE plans_plan, followup_followup, followup_outcome, "
                    "decisions_ledgerentry, decisions_decisionstep, plans_calculationsnapshot"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(todo)} goedgekeurde plannen met vervolgmomenten in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    # -- setup -----------------------------------------------------------------------------

    def _teams(self, wanted: int) -> list[Team]:
        """The demo teams in their fixed order, plus fictional extra teams up to `wanted`."""
        orgs = [Organisation.objects.get(name=name) for name in ORGANISATIONS]
        teams = [
            Team.objects.get(organisation=org, name=team_name)
            for org, areas in zip(orgs, ORGANISATIONS.values(), strict=True)
            for team_name in areas
        ]
        for k in range(len(teams), wanted):
            org_index = k % len(orgs)
            org = orgs[org_index]
            place = org.name.removeprefix("Gemeente ")
            taken = ORGANISATIONS[org.name]
            suffixes = [s for s in EXTRA_TEAMS if f"Wijkteam {place}-{s}" not in taken]
            extra = (k - 4) // len(orgs)
            suffix = suffixes[extra % len(suffixes)]
            if extra >= len(suffixes):
                suffix += f" {extra // len(suffixes) + 1}"
            team, _ = Team.objects.get_or_create(
                organisation=org, name=f"Wijkteam {place}-{suffix}"
            )
            TeamArea.objects.get_or_create(team=team, code=f"WK999{org_index}{(k + 10) % 100:02d}")
            teams.append(team)
        return teams[:wanted]

    def _workers(self, teams: list[Team]) -> list[dict]:
        """Per team: its demo worker (if any) and a few generated workers."""
        pools = []
        for t, team in enumerate(teams):
            demo = list(
                User.objects.filter(
                    username__in=["werker", "werker2"],
                    memberships__team=team,
                    memberships__role=Role.WORKER,
                ).order_by("username")
            )
            generated = []
            for n in range(WORKERS_PER_TEAM):
                username = f"gen-werker-{t + 1:02d}-{n + 1}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": FIRST_NAMES[(t * WORKERS_PER_TEAM + n) % len(FIRST_NAMES)],
                        "last_name": "Werker",
                        "email": f"{username}@demo.invalid",
                        "organisation_id": team.organisation_id,
                    },
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                Membership.objects.get_or_create(
                    user=user, organisation_id=team.organisation_id, team=team, role=Role.WORKER
                )
                generated.append(user.pk)
            pools.append({"demo": demo[0].pk if demo else None, "generated": generated})
        return pools

    # -- one batch -------------------------------------------------------------------------

    def _batch(self, numbers: range, seed: int, teams: list[Team], pools: list[dict]) -> None:
        plans = []
        for n in numbers:
            rng = random.Random(f"{seed}:{n}")
            t = n % len(teams)
            plans.append((n, rng, t))

        codes = {
            team.pk: team.areas.order_by("code").values_list("code", flat=True)[0] for team in teams
        }
        households = Household.objects.bulk_create(
            [
                Household(
                    team=teams[t],
                    reference=f"{REFERENCE_PREFIX}{n:07d}",
                    neighbourhood_code=codes[teams[t].pk],
                )
                for n, _rng, t in plans
            ]
        )
        residents, cases, assignments = [], [], []
        for household, (_n, rng, t) in zip(households, plans, strict=True):
            title, goal, step, shape = SITUATIONS[rng.randrange(len(SITUATIONS))]
            last_name = rng.choice(LAST_NAMES)
            for i, (_kind, age) in enumerate(shape):
                residents.append(
                    Resident(
                        household=household,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=last_name,
                        birth_date=REFERENCE_DATE
                        - timedelta(days=(age + rng.randint(-2, 2)) * 365 + rng.randint(0, 364)),
                        is_contact=i == 0,
                    )
                )
            cases.append(
                Case(
                    household=household,
                    team=teams[t],
                    title=title,
                    goal=goal,
                    first_step=step,
                    opened_on=REFERENCE_DATE - timedelta(days=rng.randint(0, 3 * 365)),
                    status=Case.Status.CLOSED if rng.random() < CLOSED_SHARE else Case.Status.OPEN,
                )
            )
            assignments.append(self._assign(rng, pools[t]))
        Resident.objects.bulk_create(residents)
        Case.objects.bulk_create(cases)
        through = Case.assigned_workers.through
        through.objects.bulk_create(
            [
                through(case_id=case.pk, user_id=user_id)
                for case, user_ids in zip(cases, assignments, strict=True)
                for user_id in user_ids
            ]
        )

    @staticmethod
    def _assign(rng: random.Random, pool: dict) -> list[int]:
        r = rng.random()
        if r < UNASSIGNED_SHARE:
            return []
        generated = pool["generated"]
        if pool["demo"] is not None and r < UNASSIGNED_SHARE + DEMO_WORKER_SHARE:
            first = pool["demo"]
        else:
            first = rng.choice(generated)
        workers = [first]
        if rng.random() < SECOND_WORKER_SHARE:
            second = rng.choice(generated)
            if second != first:
                workers.append(second)
        return workers
