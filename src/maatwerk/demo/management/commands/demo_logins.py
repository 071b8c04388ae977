from django.core.management.base import BaseCommand

from maatwerk.demo.management.commands.load_demo import DEMO_API_CLIENT, DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Print the demo logins (fictional users; development only)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where it is served")

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Open Maatwerk demo — {options['url']}")
        self.stdout.write(f"Every demo user has the password: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"  {'username':<12} {'role':<34} team / organisation")
        for username, _first, _last, org, team, role in USERS:
            self.stdout.write(f"  {username:<12} {role.label!s:<34} {team or org}")
        self.stdout.write("")
        name, org = DEMO_API_CLIENT
        self.stdout.write(f"  API client (partner): {name}, {org}")
        self.stdout.write("  Its token is printed once when issued; a new one:")
        self.stdout.write("    python manage.py load_demo --new-api-token")
        self.stdout.write("")
