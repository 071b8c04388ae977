"""The demo logins that the page-walking tests sign in with, taken from `load_demo`'s users."""

from maatwerk.demo.management.commands.load_demo import USERS


def _first_user_per_role() -> list[str]:
    first: dict[str, str] = {}
    for username, *_, role in USERS:
        first.setdefault(role, username)
    return list(first.values())


# One demo login per role that people use (the partner client is an API token, no person):
# werker, teamleider, manager, directeur, beleid, privacy, beheer, burgerzaken.
ROLE_USERS = _first_user_per_role()
# "nieuw" has no role yet (the director approves the request) and sees only what every
# logged-in user sees.
DEMO_USERS = [*ROLE_USERS, "nieuw"]
