"""Load the demo organisations, teams, users and at least 30 fictional households.

Idempotent: running it again changes nothing that is already there.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from maatwerk.accounts.models import Department, Membership, Organisation, Team, TeamArea, User
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
from maatwerk.decisions.models import Budget, DepartmentRoute, EscalationLevel, MandateSetting
from maatwerk.demo.directory import load_directory, load_requests
from maatwerk.demo.early_signals import load_early_signals
from maatwerk.demo.library import load_library
from maatwerk.demo.plans import (
    BRP_CORRECTION,
    complete_plan,
    followed_up_plans,
    lifecycle_plans,
)
from maatwerk.demo.referrals import load_referrals
from maatwerk.demo.situations import (
    DEMO_BSNS,
    FIRST_NAMES,
    LAST_NAMES,
    SITUATION_DETAILS,
    SITUATIONS,
)
from maatwerk.demo.system_signals import (
    load_collective_approach,
    load_pattern,
    load_signals,
)
from maatwerk.followup.models import FollowUp
from maatwerk.legal.models import Applier

DEMO_PASSWORD = "demo-maatwerk-2026"

ORGANISATIONS = {
    "Gemeente Wadwijk": {
        "Wijkteam Wadwijk-Noord": {"WK999001": "Wadwijk-Noord", "BU99900101": "Havenkwartier"},
        "Wijkteam Wadwijk-Zuid": {"WK999002": "Wadwijk-Zuid"},
    },
    "Gemeente Heuvelrand": {
        "Wijkteam Heuvelrand-Centrum": {"WK999101": "Heuvelrand-Centrum"},
        "Wijkteam Heuvelrand-Oost": {"WK999102": "Heuvelrand-Oost"},
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
    # So that every level of every team's ladder has someone who holds it.
    ("werker3", "Zoë", "Zuidema", "Gemeente Wadwijk", "Wijkteam Wadwijk-Zuid", Role.WORKER),
    ("teamleider2", "Tara", "Zuidhof", "Gemeente Wadwijk", "Wijkteam Wadwijk-Zuid",
     Role.TEAM_LEAD),
    ("teamleider3", "Harm", "Hoogland", "Gemeente Heuvelrand", "Wijkteam Heuvelrand-Centrum",
     Role.TEAM_LEAD),
    ("manager2", "Marloes", "Meerman", "Gemeente Heuvelrand", "Wijkteam Heuvelrand-Centrum",
     Role.MANAGER),
    ("directeur2", "Daphne", "Dalstra", "Gemeente Heuvelrand", None, Role.DIRECTOR),
    # Department deciders: plans without money that their department must act on.
    ("burgerzaken", "Bo", "Burger", "Gemeente Wadwijk", None, Role.DECIDER),
    ("werkeninkomen", "Ines", "Inkomen", "Gemeente Wadwijk", None, Role.DECIDER),
]  # fmt: skip
# Second memberships: one person holding a role for two teams (username, team, role).
EXTRA_MEMBERSHIPS = [
    ("manager", "Wijkteam Wadwijk-Noord", Role.MANAGER),
    ("werker2", "Wijkteam Heuvelrand-Oost", Role.WORKER),
    ("teamleider3", "Wijkteam Heuvelrand-Oost", Role.TEAM_LEAD),
    ("manager2", "Wijkteam Heuvelrand-Oost", Role.MANAGER),
]
# Departments that decide plans without money, what they decide (by who applies the blocking
# rule), and their deciders.
DEPARTMENTS = {
    "Gemeente Wadwijk": {
        "Burgerzaken": (Applier.MUNICIPALITY_BRP, "burgerzaken"),
        "Werk en Inkomen": (Applier.MUNICIPALITY, "werkeninkomen"),
    },
}
# The partner is an API client, not a person: it logs in with a token, never a password.
DEMO_API_CLIENT = ("Woningcorporatie Wadwijk (demo)", "Gemeente Wadwijk")
DEMO_API_SCOPES = [Scope.REGELBANK_READ]
HOUSEHOLDS = 32
TEAM_BUDGET = Decimal("25000")
# The demo plans (on DEMO-0001, by the demo worker): one approved by the team lead, so the
# budget shows a commitment, one waiting for the team lead, so the inbox shows something, and
# a complete draft of €6,500 for the worker to submit (it goes to the manager).
DEMO_PLANS = (("950", True), ("1800", False))
# Registrations nobody works on yet: the team lead of Wadwijk-Noord assigns them.
INTAKE = (
    ("Aanmelding via huisarts: schulden en slapeloosheid", "Weer kunnen slapen.", 2),
    ("Aanmelding woningcorporatie: huurachterstand", "Blijven wonen waar ik woon.", 5),
    ("Aanmelding school: kind komt zonder ontbijt", "", 1),
)
DRAFT_AMOUNT = "6500"
# A plan without money (a BRP correction) waits for Burgerzaken, on a case about exactly that.
BRP_CASE = "DEMO-0021"
# Households whose plans were followed up at every moment (DEMO-V001…): one plan each.
FOLLOWED_RESIDENTS = [
    ("Noor", "de Wit", 31),
    ("Yusuf", "Aydin", 44),
    ("Femke", "Hoekstra", 37),
    ("Bram", "Kuipers", 50),
    ("Ilse", "Postma", 26),
    ("Samir", "Haddou", 39),
    ("Eva", "Brouwer", 33),
    ("Jesse", "Dijkman", 46),
    ("Hanna", "Verbeek", 28),
]


def _followed_household(n, person, worker, team) -> Case:
    first, last, age = person
    # The current quarter's households (the last three) live in the team's first area, like the
    # neighbourhood's toeslag pattern (system_signals): their obstacles join that cell rather
    # than make a small one of their own, which secondary suppression would answer by hiding
    # the pattern. The followed-up quarter's, more than a year ago, have no neighbourhood.
    current = n > len(FOLLOWED_RESIDENTS) - 3
    area = team.areas.order_by("code").first() if current else None
    household, _new = Household.objects.get_or_create(
        reference=f"DEMO-V{n:03d}",
        defaults={"team": team, "neighbourhood_code": area.code if area else ""},
    )
    Resident.objects.get_or_create(
        household=household,
        is_contact=True,
        defaults={
            "first_name": first,
            "last_name": last,
            "birth_date": timezone.localdate() - timedelta(days=age * 365),
        },
    )
    case = Case.objects.filter(household=household).first() or Case.objects.create(
        household=household,
        team=team,
        title="Kinderopvangtoeslag verrekend; baan in gevaar",
        goal="Blijven werken en rondkomen.",
        first_step="Samen de brief van Toeslagen lezen.",
        opened_on=timezone.localdate(),
    )
    case.assigned_workers.add(worker)
    return case


def functional_admin_permissions():
    """Every permission of the admin's own models: what a functional administrator manages
    (organisation, teams, users and role grants, mandates, ladders, department routes, budgets,
    regelbank, API clients, audit). Not the superuser-only third-party pages (core/admin.py)."""
    from django.contrib import admin
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from maatwerk.core.admin import SUPERUSER_ONLY

    models = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.label not in SUPERUSER_ONLY:
            # With the models of its inlines: the roles table on the user page is Membership.
            models |= {model, *(inline.model for inline in model_admin.inlines)}
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False).values()
    return Permission.objects.filter(content_type__in=types)


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
            for team_name, areas in team_areas.items():
                team, _ = Team.objects.get_or_create(organisation=org, name=team_name)
                for code, area_name in areas.items():
                    TeamArea.objects.update_or_create(
                        team=team, code=code, defaults={"name": area_name}
                    )
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
            department = None
            if role == Role.DECIDER:
                department = next(
                    Department.objects.get_or_create(organisation=org, name=name)[0]
                    for name, (_applier, holder) in DEPARTMENTS[org_name].items()
                    if holder == username
                )
            Membership.objects.get_or_create(
                user=user,
                organisation=org,
                team=teams.get(team_name),
                role=role,
                defaults={"department": department},
            )
            users[username] = user
        for username, team_name, role in EXTRA_MEMBERSHIPS:
            team = teams[team_name]
            Membership.objects.get_or_create(
                user=users[username], organisation=team.organisation, team=team, role=role
            )
        if users["beheer"].is_staff:
            # Added, not set: permissions a real administrator was given by hand stay.
            users["beheer"].user_permissions.add(*functional_admin_permissions())
        secret = self._api_client(users["beheer"], new_token=options.get("new_api_token", False))

        if not Household.objects.filter(reference__startswith="DEMO-").exists():
            self._households(teams, users)
        self._case_details(users)
        load_directory(users["beheer"])
        self._intake(teams, users)
        self._decisions(teams, users)
        load_requests(users["werker"])
        load_referrals(users["werker"])
        load_signals(users["werker"], users["teamleider"], users["beleid"])
        load_pattern(users["werker"])
        load_collective_approach(users["teamleider"])
        load_early_signals(users["beheer"])
        load_library(users["werker"], users["teamleider"])
        self._role_request(teams, users)
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
        # The numbered households only: the new registrations (DEMO-N…) have no situation, and
        # a second run would otherwise find them without life domains.
        cases = Case.objects.filter(household__reference__regex=r"^DEMO-[0-9]{4}$").exclude(
            life_domains__isnull=False
        )
        for case in cases.select_related("household", "team"):
            number = case.household.reference.split("-")[1]
            if not number.isdigit():  # DEMO-N…: an intake case, a worker fills it in
                continue
            i = int(number) - 1
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

    def _intake(self, teams, users):
        """New registrations that wait for the team lead of Wadwijk-Noord to assign them, and a
        second worker there, so the start page's task list and caseload have something to show
        (idempotent)."""
        team = teams["Wijkteam Wadwijk-Noord"]
        colleague, created = User.objects.get_or_create(
            username="werker4",
            defaults={
                "first_name": "Sam",
                "last_name": "Steun",
                "organisation": team.organisation,
                "email": "werker4@demo.invalid",
            },
        )
        if created:
            colleague.set_password(DEMO_PASSWORD)
            colleague.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=colleague, organisation=team.organisation, team=team, role=Role.WORKER
        )
        users["werker4"] = colleague
        today = date.today()
        for n, (title, goal, days) in enumerate(INTAKE, start=1):
            reference = f"DEMO-N{n:03d}"
            if Household.objects.filter(reference=reference).exists():
                continue
            household = Household.objects.create(
                team=team, reference=reference, neighbourhood_code=team.areas.first().code
            )
            Resident.objects.create(
                household=household,
                first_name=FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(n * 5) % len(LAST_NAMES)],
                birth_date=today - timedelta(days=(30 + n * 6) * 365),
                is_contact=True,
            )
            Case.objects.create(
                household=household,
                team=team,
                title=title,
                goal=goal,
                opened_on=today - timedelta(days=days),
            )

    def _decisions(self, teams, users):
        """Mandates, the ladder and the routes for plans without money as rows, a budget per
        team for this year, and the demo plans (idempotent)."""
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
        for org_name, departments in DEPARTMENTS.items():
            org = Organisation.objects.get(name=org_name)
            for name, (applier, _holder) in departments.items():
                DepartmentRoute.objects.get_or_create(
                    organisation=org,
                    applier=applier,
                    blocking_rule=None,
                    defaults={"department": Department.objects.get(organisation=org, name=name)},
                )
        year = timezone.localdate().year
        for team in teams.values():
            Budget.objects.get_or_create(
                organisation=team.organisation,
                team=team,
                year=year,
                defaults={"amount": TEAM_BUDGET},
            )
        self._lifecycle_plans(teams, users)
        case = Case.objects.filter(household__reference="DEMO-0001").first()
        if case is None or case.plans.exists():
            return
        for amount, approved in DEMO_PLANS:
            plan = complete_plan(users["werker"], case, amount)
            decision_services.submit_plan(users["werker"], plan)
            if approved:
                decision_services.approve(
                    users["teamleider"], plan, reason="Past binnen het maatwerkbudget."
                )
        complete_plan(users["werker"], case, DRAFT_AMOUNT)
        brp_case = Case.objects.filter(household__reference=BRP_CASE).first()
        if brp_case is not None:
            plan = complete_plan(users["werker"], brp_case, "0", **BRP_CORRECTION)
            decision_services.submit_plan(users["werker"], plan)

    def _role_request(self, teams, users):
        """A newcomer whose worker role the administrator asked for: the director or privacy
        officer approves or refuses it at /account/rolverzoeken/ (four eyes, issue 9.2)."""
        from maatwerk.accounts import services as account_services
        from maatwerk.accounts.models import RoleGrantRequest

        team = teams["Wijkteam Wadwijk-Noord"]
        newcomer, created = User.objects.get_or_create(
            username="nieuw",
            defaults={
                "first_name": "Noor",
                "last_name": "Nieuw",
                "organisation": team.organisation,
                "email": "nieuw@demo.invalid",
            },
        )
        if created:
            newcomer.set_password(DEMO_PASSWORD)
            newcomer.save(update_fields=["password"])
        if not RoleGrantRequest.objects.filter(user=newcomer).exists():
            account_services.request_role(
                users["beheer"],
                user=newcomer,
                organisation=team.organisation,
                role=Role.WORKER,
                team=team,
                reason="Nieuwe collega in Wijkteam Wadwijk-Noord.",
            )

    def _lifecycle_plans(self, teams, users):
        """A plan in every state of the lifecycle on further open cases of the demo worker's
        team (idempotent: a case with plans is skipped).

        Only ordinary cases the worker works on (DEMO-0002 and on): not DEMO-0001 and the BRP
        case, which get their own plans, and not the new registrations (DEMO-N…), which wait
        for the team lead to assign them and have no plan yet.
        """
        cases = (
            Case.objects.filter(
                team=teams["Wijkteam Wadwijk-Noord"],
                status=Case.Status.OPEN,
                household__reference__regex=r"^DEMO-[0-9]{4}$",
                assigned_workers=users["werker"],
            )
            .exclude(household__reference__in=["DEMO-0001", BRP_CASE])
            .order_by("household__reference")
        )
        if not any(c.plans.exists() for c in cases):
            lifecycle_plans(users["werker"], users["teamleider"], list(cases))
        # Followed-up plans for the pay-off page, each on a household of its own.
        north = teams["Wijkteam Wadwijk-Noord"]
        followed = [
            _followed_household(n, person, users["werker"], north)
            for n, person in enumerate(FOLLOWED_RESIDENTS, start=1)
        ]
        if not FollowUp.objects.filter(
            plan__case__in=followed, status=FollowUp.Status.RECORDED
        ).exists():
            # The pay-off page hides a group under five households (not plans): the six plans
            # of the followed-up quarter and the current quarter's three go to households of
            # their own (DEMO-Vnnn).
            followed_up_plans(
                users["werker"],
                users["teamleider"],
                followed,
                timezone.localdate(),
            )
