"""Load the demo organisations, teams, users and at least 30 fictional households.

Idempotent: running it again changes nothing that is already there.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from maatwerk.accounts.models import Membership, Organisation, Team, TeamArea, User
from maatwerk.accounts.roles import Role
from maatwerk.api import services as api_services
from maatwerk.api.models import ApiClient, Scope
from maatwerk.cases.models import (
    Case,
    CaseLifeDomain,
    CaseNote,
    CaseOrganisation,
    Household,
    Resident,
)
from maatwerk.decisions import selectors as decision_selectors
from maatwerk.decisions import services as decision_services
from maatwerk.decisions.models import Budget, EscalationLevel, MandateSetting
from maatwerk.demo.plans import complete_plan
from maatwerk.demo.situations import (
    DEMO_BSNS,
    FIRST_NAMES,
    LAST_NAMES,
    SITUATION_DETAILS,
    SITUATIONS,
)
from maatwerk.plans import services as plan_services

DEMO_PASSWORD = "demo-maatwerk-2026"

ORGANISATIONS = {
    "Gemeente Wadwijk": {
        "Wijkteam Wadwijk-Noord": ["WK999001", "BU99900101"],
        "Wijkteam Wadwijk-Zuid": ["WK999002"],
    },
    "Gemeente Heuvelrand": {
        "Wijkteam Heuvelrand-Centrum": ["WK999101"],
        "Wijkteam Heuvelrand-Oost": ["WK999102"],
    },
}

# username, first name, last name, organisation, team (or None), role
USERS = [
    ("werker", "Wendy", "Werker", "Gemeente Wadwijk", "Wijkteam Wadwijk-Noord", Role.WORKER),
    ("teamleider", "Tom", "Leider", "Gemeente Wadwijk", "Wijkteam Wadwijk-Noord", Role.TEAM_LEAD),
    ("manager", "Mira", "Manager", "Gemeente Wadwijk", "Wijkteam Wadwijk-Zuid", Role.MANAGER),
    ("directeur", "Dirk", "Directeur", "Gemeente Wadwijk", None, Role.DIRECTOR),
    ("beleid", "Bea", "Beleid", "Gemeente Wadwijk", None, Role.POLICY_ANALYST),
    ("privacy", "Pim", "Privacy", "Gemeente Wadwijk", None, Role.PRIVACY_OFFICER),
    ("beheer", "Bas", "Beheer", "Gemeente Wadwijk", None, Role.ADMIN),
    ("werker2", "Hans", "Heuvel", "Gemeente Heuvelrand", "Wijkteam Heuvelrand-Centrum",
     Role.WORKER),
]  # fmt: skip
# The partner is an API client, not a person: it logs in with a token, never a password.
DEMO_API_CLIENT = ("Woningcorporatie Wadwijk (demo)", "Gemeente Wadwijk")
DEMO_API_SCOPES = [Scope.REGELBANK_READ, Scope.SIGNALS_WRITE]
HOUSEHOLDS = 32
TEAM_BUDGET = Decimal("25000")
# The demo plans (on DEMO-0001, by the demo worker): one approved by the team lead, so the
# budget shows a commitment, and one waiting for the team lead, so the inbox shows something.
DEMO_PLANS = (("950", True), ("1800", False))


class Command(BaseCommand):
    help = "Load demo organisations, teams, one user per role and 32 fictional households."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-api-token",
            action="store_true",
            help="issue (and print) a new token for the demo API client",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        teams = {}
        for org_name, team_areas in ORGANISATIONS.items():
            org, _ = Organisation.objects.get_or_create(
                name=org_name, defaults={"kind": Organisation.Kind.MUNICIPALITY}
            )
            for team_name, codes in team_areas.items():
                team, _ = Team.objects.get_or_create(organisation=org, name=team_name)
                for code in codes:
                    TeamArea.objects.get_or_create(team=team, code=code)
                teams[team_name] = team

        users = {}
        for username, first, last, org_name, team_name, role in USERS:
            org = Organisation.objects.get(name=org_name)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "organisation": org,
                    "email": f"{username}@demo.invalid",
                    "is_staff": role == Role.ADMIN,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                user=user, organisation=org, team=teams.get(team_name), role=role
            )
            users[username] = user
        if users["beheer"].is_staff and not users["beheer"].user_permissions.exists():
            from django.contrib.auth.models import Permission

            users["beheer"].user_permissions.set(
                Permission.objects.filter(content_type__app_label="accounts")
            )
        secret = self._api_client(users["beheer"], new_token=options.get("new_api_token", False))

        if not Household.objects.filter(reference__startswith="DEMO-").exists():
            self._households(teams, users)
        self._case_details(users)
        self._decisions(teams, users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if secret:  # last, so it is not lost among the demo mails above
            self.stdout.write(f"API token of the demo partner ({DEMO_API_CLIENT[0]}), shown once:")
            self.stdout.write(f"  Authorization: Bearer {secret}")

    def _api_client(self, admin, *, new_token: bool) -> str:
        """The demo partner, issued by the demo functional administrator as in production.

        Only the digest of a token is stored, so its secret is printed once, when issued.
        """
        name, org_name = DEMO_API_CLIENT
        client = ApiClient.objects.filter(name=name, organisation__name=org_name).first()
        if client is None:
            client = api_services.create_client(
                actor=admin,
                organisation=Organisation.objects.get(name=org_name),
                name=name,
                scopes=DEMO_API_SCOPES,
            )
        if new_token or not any(t.is_valid for t in client.tokens.all()):
            return api_services.issue_token(actor=admin, client=client)[1]
        return ""

    def _households(self, teams, users):
        rng = random.Random(2026)  # the same demo every time
        team_list = list(teams.values())
        today = date.today()
        for i in range(HOUSEHOLDS):
            title, goal, step, shape = SITUATIONS[i % len(SITUATIONS)]
            team = team_list[i % len(team_list)]
            household = Household.objects.create(
                team=team,
                reference=f"DEMO-{i + 1:04d}",
                neighbourhood_code=team.areas.first().code,
            )
            last = rng.choice(LAST_NAMES)
            for n, (_kind, age) in enumerate(shape):
                Resident.objects.create(
                    household=household,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=last,
                    birth_date=today - timedelta(days=age * 365 + rng.randint(0, 364)),
                    is_contact=n == 0,
                )
            case = Case.objects.create(
                household=household,
                team=team,
                title=title,
                goal=goal,
                first_step=step,
                opened_on=today - timedelta(days=rng.randint(3, 200)),
                status=Case.Status.CLOSED if i % 9 == 8 else Case.Status.OPEN,
            )
            if team.name == "Wijkteam Wadwijk-Noord" and i % 3 != 2:
                case.assigned_workers.add(users["werker"])
            elif team.name == "Wijkteam Heuvelrand-Centrum":
                case.assigned_workers.add(users["werker2"])

    def _case_details(self, users):
        """Life domains, organisations and notes on demo cases that have none yet (idempotent)."""
        today = date.today()
        cases = Case.objects.filter(household__reference__startswith="DEMO-").exclude(
            life_domains__isnull=False
        )
        for case in cases.select_related("household", "team"):
            i = int(case.household.reference.split("-")[1]) - 1
            domains, organisations, notes = SITUATION_DETAILS[i % len(SITUATION_DETAILS)]
            CaseLifeDomain.objects.bulk_create(CaseLifeDomain(case=case, domain=d) for d in domains)
            CaseOrganisation.objects.bulk_create(
                CaseOrganisation(case=case, organisation_type=o) for o in organisations
            )
            author = users["werker"] if case.team.name == "Wijkteam Wadwijk-Noord" else None
            CaseNote.objects.bulk_create(
                CaseNote(
                    case=case,
                    author=author,
                    kind=kind,
                    text=text,
                    happened_on=today - timedelta(days=days),
                )
                for days, kind, text in notes
            )
        for reference, number in zip(("DEMO-0001", "DEMO-0002"), DEMO_BSNS, strict=True):
            resident = Resident.objects.filter(
                household__reference=reference, is_contact=True, bsn_hash=""
            ).first()
            if resident is not None:
                resident.set_bsn(number)
                resident.save(update_fields=["bsn_encrypted", "bsn_hash"])

    def _decisions(self, teams, users):
        """The default mandates and ladder as rows (so the admin shows what applies), a budget
        per team for this year, and the demo plans awaiting a decision (idempotent)."""
        for org in {team.organisation for team in teams.values()}:
            if not MandateSetting.objects.filter(organisation=org).exists():
                MandateSetting.objects.bulk_create(
                    MandateSetting(organisation=org, role=m.role, amount=m.amount)
                    for m in decision_selectors.DEFAULT_MANDATES.values()
                )
            if not EscalationLevel.objects.filter(organisation=org).exists():
                EscalationLevel.objects.bulk_create(
                    EscalationLevel(
                        organisation=org,
                        position=level.position,
                        role=level.role,
                        deadline_working_days=level.deadline_working_days,
                    )
                    for level in decision_selectors.DEFAULT_LADDER
                )
        year = timezone.localdate().year
        for team in teams.values():
            Budget.objects.get_or_create(
                organisation=team.organisation,
                team=team,
                year=year,
                defaults={"amount": TEAM_BUDGET},
            )
        case = Case.objects.filter(household__reference="DEMO-0001").first()
        if case is None or case.plans.exists():
            return
        for amount, approved in DEMO_PLANS:
            plan = complete_plan(users["werker"], case, amount)
            plan_services.submit(users["werker"], plan)
            if approved:
                decision_services.approve(
                    users["teamleider"], plan, reason="Past binnen het maatwerkbudget."
                )
