"""What every URL allows, per role: the single table the access-matrix test walks.

Every named URL the resolver knows must appear here (or under an admitted prefix), so a new
URL without an access decision fails the test suite.
"""

from maatwerk.accounts.roles import CASE_ROLES, Role

ALL_ROLES = frozenset(Role)
NOBODY: frozenset = frozenset()

PUBLIC = "public"  # anyone, logged in or not
AUTHENTICATED = "authenticated"  # every logged-in user
POST_ONLY = "post_only"  # GET answers 405 for everyone (a form target)
API_POST_ONLY = "api_post_only"  # API: anonymous is refused first, others get 405 on GET
# API action on a case object: anonymous refused, non-case roles 403, case roles 405 on GET.
API_CASE_POST_ONLY = "api_case_post_only"

ADMIN_ONLY = frozenset({Role.ADMIN})
# Workers and team leads write to their own team's cases (new case, notes, obstacles).
CASE_WRITERS = frozenset({Role.WORKER, Role.TEAM_LEAD})
BUDGET_HOLDERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})

# url name -> (who may read, object the URL is about: None, "case", "cost_item")
RULES: dict[str, tuple[object, str | None]] = {
    "home": (AUTHENTICATED, None),
    "health": (PUBLIC, None),
    "ping": (PUBLIC, None),
    "login": (PUBLIC, None),
    "logout": (POST_ONLY, None),
    "set_language": (PUBLIC, None),
    "accounts:security": (AUTHENTICATED, None),
    "accounts:otp_setup": (AUTHENTICATED, None),
    "accounts:otp_verify": (AUTHENTICATED, None),
    "cases:list": (CASE_ROLES, None),
    "cases:detail": (CASE_ROLES, "case"),
    "cases:mine": (CASE_ROLES, None),
    "cases:team": (frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}), None),
    "cases:new": (CASE_WRITERS, None),
    "cases:add_note": (CASE_WRITERS, "case"),
    "cases:add_obstacle": (CASE_WRITERS, "case"),
    "audit:list": (frozenset({Role.PRIVACY_OFFICER}), None),
    "costs:catalogue": (AUTHENTICATED, None),
    "costs:item": (AUTHENTICATED, "cost_item"),
    "costs:new_item": (ADMIN_ONLY, None),
    "costs:add_price": (POST_ONLY, "cost_item"),
    "costs:retire": (POST_ONLY, "cost_item"),
    "legal:new_rules": (ADMIN_ONLY, None),
    "legal:promote_rule": (POST_ONLY, "obstacle"),
    "costs:calculator": (AUTHENTICATED, None),
    "costs:calculator_search": (AUTHENTICATED, None),
    "api-cost-items": (AUTHENTICATED, None),
    "api-calculations": (API_POST_ONLY, None),
    "api-me": (AUTHENTICATED, None),
    # API clients only (bearer token): no person, whatever their role, uses it.
    "api-client": (NOBODY, None),
    "api-schema": (PUBLIC, None),
    "api-docs": (PUBLIC, None),
    "case-list": (CASE_ROLES, None),
    "case-detail": (CASE_ROLES, "case"),
    "case-obstacles": (CASE_ROLES, "case"),
    # Plans: read by the case roles of the case's team, written by its workers and team leads.
    "plans:new": (CASE_WRITERS, "case"),
    "plans:detail": (CASE_ROLES, "plan"),
    "plans:edit": (CASE_WRITERS, "plan"),
    "plans:submit": (POST_ONLY, "plan"),
    "plans:document": (CASE_ROLES, "plan"),
    "plans:document_pdf": (CASE_ROLES, "plan"),
    "plans:to_decide": (frozenset({Role.TEAM_LEAD}), None),
    "plan-list": (CASE_ROLES, None),
    "plan-detail": (CASE_ROLES, "plan"),
    "plan-submit": (API_CASE_POST_ONLY, "plan"),
    # Decisions: the inbox for every case role; deciding and consulting only for the role the
    # plan is routed to (the matrix world's plan is a draft, routed to nobody: tests/
    # test_decisions.py covers routed plans); budgets for team leads, managers and directors.
    "decisions:inbox": (CASE_ROLES, None),
    "decisions:decide": (NOBODY, "plan"),
    "decisions:trail": (CASE_ROLES, "plan"),
    "decisions:consult": (NOBODY, "plan"),
    "decisions:escalate": (POST_ONLY, "plan"),
    "decisions:peer_vote": (POST_ONLY, "plan"),
    "decisions:budgets": (BUDGET_HOLDERS, None),
    "decisions:budgets_csv": (BUDGET_HOLDERS, None),
    "decisions:budgets_xlsx": (BUDGET_HOLDERS, None),
    "decisions:budget": (BUDGET_HOLDERS, "budget"),
    "decision-inbox": (CASE_ROLES, None),
    "decision-decide": (API_CASE_POST_ONLY, "plan"),
    "decision-consult": (API_CASE_POST_ONLY, "plan"),
    "budget-list": (BUDGET_HOLDERS, None),
    "budget-ledger": (BUDGET_HOLDERS, "budget"),
    # Legal catalogue (regelbank): no personal data, every logged-in user reads it.
    "legal:index": (AUTHENTICATED, None),
    "legal:provision": (AUTHENTICATED, "provision"),
    "legal:rule": (AUTHENTICATED, "blocking_rule"),
    "legal:edit_provision": (ADMIN_ONLY, "provision"),
    "legal:edit_rule": (ADMIN_ONLY, "blocking_rule"),
    "provision-list": (AUTHENTICATED, None),
    "provision-detail": (AUTHENTICATED, "provision"),
    "blocking-rule-list": (AUTHENTICATED, None),
    "blocking-rule-detail": (AUTHENTICATED, "blocking_rule"),
}

# Whole URL families decided in one place: the Django admin is for functional administrators.
PREFIX_RULES = {"admin:": frozenset({Role.ADMIN})}
