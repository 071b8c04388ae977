"""The roles of DESIGN.md and what each may do, as plain data.

Kept free of Django models so selectors, views, the access-matrix test and the demo data share
one truth.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Social worker")
    TEAM_LEAD = "team_lead", _("Team lead")
    MANAGER = "manager", _("Manager")
    DIRECTOR = "director", _("Director")
    POLICY_ANALYST = "policy_analyst", _("Policy analyst")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMIN = "admin", _("Functional administrator")
    PARTNER_CLIENT = "partner_client", _("Partner client (API)")
    # Decides plans without money that its department (e.g. Burgerzaken) must act on; sees
    # only the plans routed to that department, never a team's cases.
    DECIDER = "decider", _("Department decider")


# Roles that work on a team's cases and therefore see that team's personal data.
CASE_ROLES = frozenset({Role.WORKER, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# Roles whose membership must name a team (the others are organisation-wide).
TEAM_ROLES = frozenset({Role.WORKER, Role.TEAM_LEAD, Role.MANAGER})
# Roles that see personal data at all, so production demands two-factor login for them.
PERSONAL_DATA_ROLES = CASE_ROLES | {Role.PRIVACY_OFFICER, Role.ADMIN, Role.DECIDER}
# Roles a functional administrator may not hand out alone: they see personal data (or, like
# the administrator and the privacy officer, hold a key to it), so a second person approves.
# Without the approver roles here, an administrator could make a second account of their own
# privacy officer and approve their own requests with it.
FOUR_EYES_ROLES = PERSONAL_DATA_ROLES
# Who approves or refuses a four-eyes request, within their own organisation.
ROLE_APPROVER_ROLES = frozenset({Role.DIRECTOR, Role.PRIVACY_OFFICER})
