from django.core.management.base import BaseCommand

from maatwerk.demo.management.commands.load_demo import (
    DEMO_API_CLIENT,
    DEMO_PASSWORD,
    DEPARTMENTS,
    EXTRA_MEMBERSHIPS,
    USERS,
)


class Command(BaseCommand):
    help = "Print the demo logins (fictional users; development only)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where it is served")

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Open Maatwerk demo — {options['url']}")
        self.stdout.write(f"Every demo user has the password: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"  {'username':<14} {'role':<34} team / organisation")
        extra = {}
        for username, team, _role in EXTRA_MEMBERSHIPS:
            extra.setdefault(username, []).append(team)
        departments = {
            holder: name
            for per_org in DEPARTMENTS.values()
            for name, (_applier, holder) in per_org.items()
        }
        for username, _first, _last, org, team, role in USERS:
            where = ", ".join([team or org, *extra.get(username, [])])
            if username in departments:
                where = f"{departments[username]}, {org}"
            self.stdout.write(f"  {username:<14} {role.label!s:<34} {where}")
        self.stdout.write("")
        name, org = DEMO_API_CLIENT
        self.stdout.write(f"  API client (partner): {name}, {org}")
        self.stdout.write("  Its token is printed once when issued; a new one:")
        self.stdout.write("    python manage.py load_demo --new-api-token")
        self.stdout.write("")
