"""What every URL allows, per role and method: the single table the access-matrix test walks.

Every named URL the resolver knows must appear here (or under an admitted prefix), so a new
URL without an access decision fails the test suite.

Row format (``RULES[url name]``)::

    (who, object)                # short form: the rule for GET; the rest is derived
    (who, object, {options})     # long form

``who`` is one of PUBLIC, AUTHENTICATED, a frozenset of roles (NOBODY = none), or one of the
405 markers POST_ONLY, API_POST_ONLY, API_CASE_POST_ONLY (GET answers 405).

``object`` is what the URL's ``pk`` names: None (no pk), or a kind the matrix world holds:
"case", "plan" (a complete draft), "submitted_plan" (submitted, routed to the team lead of its
team), "budget" (the team's budget), "obstacle" (an obstacle describing a new rule),
"cooperation_request" (a request to an outside organisation on the approved plan, with consent,
not sent yet), "external_organisation" (one of the shared directory), "contact_point" (its
phone line), "suggestion" (an organisation a worker suggested), "cost_item"
(a shared catalogue item, and a local item of the own and of another organisation),
"provision", "blocking_rule", "escalatable_request" (an overdue request to an outside
organisation on an approved plan), "referral" (an escalated request, waiting for the route's
answer), "followup" (the due end-of-action follow-up of the approved plan), "signal" (a new
system signal raised by the team's worker from the obstacle describing a new rule),
"early_signal" (a signal a partner of the own organisation sent; its URL names it by
`public_id`). Objects of
a team exist three times: in the user's own team ("own"), in another team of the same organisation
("team2") and in another organisation ("org2"). Nobody reaches an object of another
organisation, whatever the method.

Options (all optional):

- ``"POST"``, ``"PUT"``, ``"PATCH"``, ``"DELETE"``: who may send that method (same vocabulary as
  ``who``). When not stated, it is derived from the GET rule: the same roles may send it, but a
  GET-only view may also answer 405 (a POST_ONLY row without a "POST" entry is only checked
  for login, no 5xx and other organisations). A stated method is strict: the allowed roles must
  reach the view's own validation (2xx, 400 with errors, or the stated redirect), never 405.
- ``"methods"``: the methods to send. Default: GET and POST for pages; for API views the
  methods the DRF view declares.
- ``"redirect"``: the allowed GET may answer 302 (True: anywhere but the login page; or a URL
  name: exactly there, with the same pk when it takes one; a tuple of names: one of them).
  Without it a 302 is a failure.
- ``"post_redirect"``: the same for the allowed writes (POST/PUT/PATCH/DELETE).
- ``"team2"``: the roles that reach an object of another team of the same organisation.
  Default: the allowed roles that are not tied to a team (director, admin, ...).
- ``"data"``: the body to send with writes (a dict, or the name of a builder in
  tests/test_access_matrix.py PAYLOADS). Default: the URL's builder if there is one, else empty.
  A denied write with a valid body must change nothing (row counts and write audit events).
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
# System signals: who moves them, who raises them from a rule, who reads them at all.
SIGNAL_ROLES = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
SIGNAL_RAISERS = frozenset({Role.POLICY_ANALYST, Role.TEAM_LEAD})
SIGNAL_READERS = SIGNAL_ROLES | {Role.WORKER}
REPORT_ROLES = frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR, Role.TEAM_LEAD})
BUDGET_HOLDERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR})
# The library of good examples: every person of the deployment reads approved examples
# (partner clients reach only their own API); the functional administrator and the privacy
# officer export and import.
LIBRARY_READERS = ALL_ROLES - {Role.PARTNER_CLIENT}
LIBRARY_EXCHANGERS = frozenset({Role.ADMIN, Role.PRIVACY_OFFICER})
# The matrix world routes its submitted plans (small amounts) to the team lead.
DECIDER = frozenset({Role.TEAM_LEAD})

# url name -> (who may read, object the URL is about: None, "case", "cost_item")
RULES: dict[str, tuple[object, str | None]] = {
    "home": (AUTHENTICATED, None),
    "health": (PUBLIC, None),
    "ping": (PUBLIC, None),
    # A logged-in user opening the login page is sent to the start page.
    "login": (PUBLIC, None, {"redirect": "home"}),
    "logout": (POST_ONLY, None, {"POST": PUBLIC, "post_redirect": "login"}),
    # The login through the organisation's provider: before login by nature; back to the login
    # page while no provider is configured, as here (tests/accounts/test_oidc.py walks the
    # configured flow).
    "oidc_login": (PUBLIC, None, {"redirect": "login"}),
    "oidc_callback": (PUBLIC, None, {"redirect": "login"}),
    "set_language": (PUBLIC, None, {"redirect": True, "post_redirect": True}),
    "accounts:security": (AUTHENTICATED, None),
    "accounts:index": (AUTHENTICATED, None, {"redirect": True}),
    # Setting up a device is being reworked (issue 9, point 1): it may send the user on.
    "accounts:otp_setup": (AUTHENTICATED, None, {"redirect": True, "post_redirect": True}),
    # Without a device it sends the user to the set-up page.
    "accounts:otp_verify": (AUTHENTICATED, None, {"redirect": True, "post_redirect": True}),
    # Four-eyes role requests are decided by a director or privacy officer (issue 9.2).
    "accounts:role_requests": (frozenset({Role.DIRECTOR, Role.PRIVACY_OFFICER}), None),
    # The search box posts and is sent back to the list (the search text stays out of the URL).
    "cases:list": (CASE_ROLES, None, {"post_redirect": "cases:list"}),
    "cases:detail": (CASE_ROLES, "case"),
    "cases:mine": (CASE_ROLES, None, {"post_redirect": "cases:mine"}),
    "cases:team": (
        frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}),
        None,
        {"post_redirect": "cases:team"},
    ),
    "cases:new": (CASE_WRITERS, None, {"POST": CASE_WRITERS}),
    "cases:add_note": (
        CASE_WRITERS,
        "case",
        {"POST": CASE_WRITERS, "post_redirect": "cases:detail"},
    ),
    "cases:add_obstacle": (
        CASE_WRITERS,
        "case",
        {"POST": CASE_WRITERS, "post_redirect": "cases:detail"},
    ),
    "cases:edit": (CASE_WRITERS, "case", {"POST": CASE_WRITERS, "post_redirect": "cases:detail"}),
    "cases:close": (CASE_WRITERS, "case", {"POST": CASE_WRITERS, "post_redirect": "cases:detail"}),
    "cases:reopen": (POST_ONLY, "case", {"POST": CASE_WRITERS, "post_redirect": "cases:detail"}),
    # Only a team lead of the case's team assigns and reassigns it.
    "cases:assign": (
        frozenset({Role.TEAM_LEAD}),
        "case",
        {"POST": frozenset({Role.TEAM_LEAD}), "post_redirect": "cases:detail"},
    ),
    "audit:list": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:index": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:unusual_reads": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:register": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:register_json": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:register_csv": (frozenset({Role.PRIVACY_OFFICER}), None),
    # A request for access: the BSN goes in a POST body, never a URL; the person's page and
    # files by the resident's id, for the privacy officer of the resident's organisation.
    "privacy:access_search": (
        frozenset({Role.PRIVACY_OFFICER}),
        None,
        {"POST": frozenset({Role.PRIVACY_OFFICER})},
    ),
    "privacy:access_person": (
        frozenset({Role.PRIVACY_OFFICER}),
        "resident",
        {"POST": frozenset({Role.PRIVACY_OFFICER}), "post_redirect": "privacy:access_person"},
    ),
    "privacy:access_json": (frozenset({Role.PRIVACY_OFFICER}), "resident"),
    # Retention periods: read by the privacy officer and the administrator; an administrator of
    # an organisation that is no municipality sets its own (the matrix world is a municipality).
    "privacy:retention": (
        frozenset({Role.PRIVACY_OFFICER, Role.ADMIN}),
        None,
        {"POST": NOBODY},
    ),
    # The destruction list and legal holds: the privacy officer of the case's organisation.
    "privacy:destruction": (
        frozenset({Role.PRIVACY_OFFICER}),
        None,
        {"POST": frozenset({Role.PRIVACY_OFFICER}), "post_redirect": "privacy:destruction"},
    ),
    "privacy:legal_hold_search": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:legal_hold": (
        frozenset({Role.PRIVACY_OFFICER}),
        "case",
        {"POST": frozenset({Role.PRIVACY_OFFICER}), "post_redirect": "privacy:legal_hold"},
    ),
    # Destruction on request (AVG art. 17, Jeugdwet art. 7.3.9): the same privacy officer.
    "privacy:destruction_request_search": (frozenset({Role.PRIVACY_OFFICER}), None),
    "privacy:destruction_request": (
        frozenset({Role.PRIVACY_OFFICER}),
        "case",
        {"POST": frozenset({Role.PRIVACY_OFFICER}), "post_redirect": "privacy:destruction"},
    ),
    "privacy:access_pdf": (frozenset({Role.PRIVACY_OFFICER}), "resident"),
    "costs:catalogue": (AUTHENTICATED, None),
    "costs:item": (AUTHENTICATED, "cost_item"),
    "costs:new_item": (ADMIN_ONLY, None, {"POST": ADMIN_ONLY}),
    "costs:add_price": (POST_ONLY, "cost_item", {"POST": ADMIN_ONLY}),
    "costs:retire": (
        POST_ONLY,
        "cost_item",
        {"POST": ADMIN_ONLY, "post_redirect": "costs:catalogue"},
    ),
    "signals:new_rules": (ADMIN_ONLY, None),
    # Figures per outside organisation: aggregates for policy and management, no case.
    "signals:organisations": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}),
        None,
    ),
    # The triage queue of early signals (issue 15, item 4): workers and team leads of the
    # signal's team; the matrix world's signal matches no postcode area, so it waits in the
    # central queue, for the organisation's team leads only.
    "partners:queue": (CASE_WRITERS, None),
    "partners:signal": (frozenset({Role.TEAM_LEAD}), "early_signal"),
    # A department's warm handover, entered by a worker or team lead of a team (issue 15).
    "partners:handover": (CASE_WRITERS, None, {"POST": CASE_WRITERS}),
    # The monthly DDAS export (issue 15, item 6): for the policy roles; its schema is public.
    "partners:ddas": (frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}), None),
    "partners:ddas_json": (frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}), None),
    "partners:ddas_csv": (frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}), None),
    "partners:ddas_schema": (PUBLIC, None),
    # The signal report (issue 14): aggregates for policy, management and team leads, no case.
    "signals:report": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR, Role.TEAM_LEAD}),
        None,
    ),
    "signals:report_csv": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR, Role.TEAM_LEAD}),
        None,
    ),
    # The national picture (issue 14, point 6): the organisation's export under the outside
    # rule and the merged national figures for the policy roles; the schema is public.
    "signals:national_export_json": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}),
        None,
    ),
    "signals:national_export_csv": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}),
        None,
    ),
    # The old address of the national picture: a redirect to the report's national scope.
    "signals:national": (
        frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}),
        None,
        {"redirect": "signals:report"},
    ),
    "signals:export_schema": (PUBLIC, None),
    # Escalation beyond the organisation (issue 12, point 3): the case's workers and team leads
    # escalate a refused or overdue request and record the route's answer; every case role of
    # the team reads the referral and downloads its document.
    "cooperation:escalate": (
        CASE_WRITERS,
        "escalatable_request",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    "cooperation:referral": (CASE_ROLES, "referral"),
    "cooperation:referral_pdf": (CASE_ROLES, "referral"),
    "cooperation:referral_answer": (
        POST_ONLY,
        "referral",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:referral"},
    ),
    "signals:promote_rule": (POST_ONLY, "obstacle", {"POST": ADMIN_ONLY}),
    "costs:calculator": (AUTHENTICATED, None),
    "costs:calculator_search": (AUTHENTICATED, None),
    "api-cost-items": (AUTHENTICATED, None),
    "api-calculations": (API_POST_ONLY, None, {"POST": AUTHENTICATED}),
    "api-me": (AUTHENTICATED, None),
    # API clients only (bearer token): no person, whatever their role, uses it.
    "api-client": (NOBODY, None),
    "api-schema": (PUBLIC, None),
    "api-docs": (PUBLIC, None),
    "case-list": (CASE_ROLES, None, {"POST": CASE_WRITERS}),
    "case-detail": (CASE_ROLES, "case"),
    "case-obstacles": (CASE_ROLES, "case", {"POST": CASE_WRITERS}),
    # Plans: read by the case roles of the case's team, written by its workers and team leads.
    "plans:new": (CASE_WRITERS, "case", {"POST": CASE_WRITERS, "post_redirect": True}),
    "plans:detail": (CASE_ROLES, "plan"),
    "plans:edit": (CASE_WRITERS, "plan", {"POST": CASE_WRITERS}),
    # Without a comparison from the calculator in the session it sends back to the calculator.
    "plans:from_calculator": (
        CASE_WRITERS,
        None,
        {"POST": CASE_WRITERS, "redirect": "costs:calculator", "post_redirect": "costs:calculator"},
    ),
    "plans:revise": (POST_ONLY, "plan", {"POST": CASE_WRITERS, "post_redirect": True}),
    "plans:close": (POST_ONLY, "plan", {"POST": CASE_WRITERS, "post_redirect": True}),
    "plans:document": (CASE_ROLES, "plan"),
    "plans:document_pdf": (CASE_ROLES, "plan"),
    "plan-list": (CASE_ROLES, None, {"POST": CASE_WRITERS}),
    "plan-detail": (CASE_ROLES, "plan", {"PUT": CASE_WRITERS, "PATCH": CASE_WRITERS}),
    "plan-submit": (API_CASE_POST_ONLY, "plan", {"POST": CASE_WRITERS}),
    "plan-revise": (API_CASE_POST_ONLY, "plan", {"POST": CASE_WRITERS}),
    "plan-close": (API_CASE_POST_ONLY, "plan", {"POST": CASE_WRITERS}),
    # Only the author withdraws (in the matrix world, the worker who wrote the plans).
    "plan-withdraw": (API_CASE_POST_ONLY, "plan", {"POST": frozenset({Role.WORKER})}),
    # Decisions: the inbox for every case role; deciding only for the role the submitted plan
    # is routed to (the team lead of its team); the MDT form also for the team's workers and
    # team leads; escalating and voting reach the view for whoever sees the plan (the service
    # refuses what the rule forbids and the page says so on the trail).
    "decisions:inbox": (CASE_ROLES | {Role.DECIDER}, None),
    # Submitting routes the plan, so the submit page lives in decisions. Its confirmation is
    # a GET (so Back lands on a page): for a plan that is not a complete draft of the user's
    # team, a redirect to the plan.
    "decisions:submit": (
        CASE_ROLES,
        "plan",
        {
            "POST": CASE_WRITERS,
            "redirect": "plans:detail",
            "post_redirect": True,
            "data": {"confirmed": "yes"},
        },
    ),
    # Ladder levels nobody holds: the functional administrator of that organisation only.
    "decisions:empty_levels": (ADMIN_ONLY, None),
    "decisions:withdraw": (
        POST_ONLY,
        "submitted_plan",
        {"POST": frozenset({Role.WORKER}), "post_redirect": True},
    ),
    # The decider reads and decides; whoever else may see the plan is sent to its trail (a
    # link opened by someone else, or after the decision). Only the decider may post.
    "decisions:decide": (
        CASE_ROLES,
        "submitted_plan",
        {"POST": DECIDER, "redirect": "decisions:trail", "post_redirect": "decisions:inbox"},
    ),
    "decisions:trail": (CASE_ROLES, "submitted_plan"),
    "decisions:consult": (
        CASE_WRITERS,
        "submitted_plan",
        # Back to the plan: its decision page for the decider, its trail for the team.
        {"team2": NOBODY, "post_redirect": ("decisions:decide", "decisions:trail")},
    ),
    "decisions:escalate": (
        POST_ONLY,
        "submitted_plan",
        {"POST": CASE_ROLES, "post_redirect": "decisions:trail"},
    ),
    "decisions:peer_vote": (
        POST_ONLY,
        "submitted_plan",
        {"POST": CASE_ROLES, "post_redirect": "decisions:trail"},
    ),
    "decisions:budgets": (BUDGET_HOLDERS, None),
    "decisions:budgets_csv": (BUDGET_HOLDERS, None),
    "decisions:budgets_xlsx": (BUDGET_HOLDERS, None),
    # Nothing is open to pay on a plan that is not approved: the page sends back to the plan.
    "decisions:pay": (
        BUDGET_HOLDERS,
        "submitted_plan",
        {"redirect": "plans:detail", "post_redirect": "plans:detail"},
    ),
    "decisions:budget": (
        BUDGET_HOLDERS,
        "budget",
        {"POST": BUDGET_HOLDERS, "post_redirect": "decisions:budget"},
    ),
    # A budget's ledger exported: whoever may open its page.
    "decisions:budget_csv": (BUDGET_HOLDERS, "budget"),
    "decisions:budget_xlsx": (BUDGET_HOLDERS, "budget"),
    "decision-inbox": (CASE_ROLES, None),
    "decision-decide": (API_CASE_POST_ONLY, "submitted_plan", {"POST": DECIDER, "team2": NOBODY}),
    "decision-consult": (
        API_CASE_POST_ONLY,
        "submitted_plan",
        {"POST": CASE_WRITERS, "team2": NOBODY},
    ),
    "budget-list": (BUDGET_HOLDERS, None),
    # The signal report in the API (issue 14, point 7): the policy roles only.
    "api-signal-report": (frozenset({Role.POLICY_ANALYST, Role.MANAGER, Role.DIRECTOR}), None),
    "budget-ledger": (BUDGET_HOLDERS, "budget"),
    # Requests to outside organisations (issue 12): as cases. Read by the case roles of the
    # case's team, written by its workers and team leads; every read audited.
    "cooperation:new_for_case": (
        CASE_WRITERS,
        "case",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    "cooperation:new_for_plan": (
        CASE_WRITERS,
        "plan",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    "cooperation:detail": (CASE_ROLES, "cooperation_request"),
    # A follow-up of the approved plan (due today): read like the plan, recorded by its writers;
    # recording sends the worker back to the plan's page.
    "followup:record": (
        CASE_ROLES,
        "followup",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    # Cohorts: aggregates per team, rule and quarter for the leads (GET only; POST answers 405).
    "followup:cohorts": (BUDGET_HOLDERS, None),
    "followup:cohorts_csv": (BUDGET_HOLDERS, None),
    "followup:cohorts_xlsx": (BUDGET_HOLDERS, None),
    # The plan page's form: the day the tailored action was carried out (pk: a follow-up).
    "followup:carried_out": (
        POST_ONLY,
        "followup",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    # The waakvlam of a case (pk: the case): read like the case; its writers start it, record
    # check-ins and stop it (the matrix case is open, so starting is refused with the error).
    "followup:pilot_light": (
        CASE_ROLES,
        "case",
        {"POST": CASE_WRITERS, "post_redirect": True},
    ),
    # The organisation's follow-up moments: the functional administrator's page.
    "followup:moments": (ADMIN_ONLY, None, {"POST": ADMIN_ONLY, "post_redirect": True}),
    "cooperation:consent": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    "cooperation:send": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    "cooperation:add_contact": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    "cooperation:answer": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    "cooperation:due_date": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    "cooperation:withdraw": (
        POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:detail"},
    ),
    # The directory of outside organisations holds no personal data: everyone reads it; workers
    # and team leads suggest additions; the functional administrator keeps it.
    "cooperation:directory": (AUTHENTICATED, None),
    "cooperation:organisation": (AUTHENTICATED, "external_organisation"),
    "cooperation:suggest": (
        CASE_WRITERS,
        None,
        {"POST": CASE_WRITERS, "post_redirect": "cooperation:directory"},
    ),
    "cooperation:suggestions": (ADMIN_ONLY, None),
    "cooperation:decide_suggestion": (
        POST_ONLY,
        "suggestion",
        {"POST": ADMIN_ONLY, "post_redirect": "cooperation:suggestions"},
    ),
    "cooperation:new_organisation": (
        ADMIN_ONLY,
        None,
        {"POST": ADMIN_ONLY, "post_redirect": True},
    ),
    "cooperation:edit_organisation": (
        ADMIN_ONLY,
        "external_organisation",
        {"POST": ADMIN_ONLY, "post_redirect": "cooperation:organisation"},
    ),
    "cooperation:add_contact_point": (
        ADMIN_ONLY,
        "external_organisation",
        {"POST": ADMIN_ONLY, "post_redirect": "cooperation:organisation"},
    ),
    "cooperation:edit_contact_point": (
        ADMIN_ONLY,
        "contact_point",
        {"POST": ADMIN_ONLY, "post_redirect": "cooperation:organisation"},
    ),
    # Never deleted: taken out of the directory (requests that named it keep it).
    "cooperation:deactivate_contact_point": (
        POST_ONLY,
        "contact_point",
        {"POST": ADMIN_ONLY, "post_redirect": "cooperation:organisation"},
    ),
    "cooperation-request-list": (CASE_ROLES, None, {"POST": CASE_WRITERS}),
    # Follow-ups in the API: read like the plan, recorded (POST) by the case's writers.
    "followup-list": (CASE_ROLES, None),
    "followup-detail": (CASE_ROLES, "followup"),
    "followup-record": (API_CASE_POST_ONLY, "followup", {"POST": CASE_WRITERS}),
    "followup-carried-out": (API_CASE_POST_ONLY, "followup", {"POST": CASE_WRITERS}),
    "cooperation-request-detail": (CASE_ROLES, "cooperation_request"),
    "cooperation-request-consent": (
        API_CASE_POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS},
    ),
    "cooperation-request-send": (API_CASE_POST_ONLY, "cooperation_request", {"POST": CASE_WRITERS}),
    "cooperation-request-answer": (
        API_CASE_POST_ONLY,
        "cooperation_request",
        {"POST": CASE_WRITERS},
    ),
    "cooperation-request-contacts": (CASE_ROLES, "cooperation_request", {"POST": CASE_WRITERS}),
    "cooperation-request-escalate": (
        API_CASE_POST_ONLY,
        "escalatable_request",
        {"POST": CASE_WRITERS},
    ),
    "outside-organisation-list": (AUTHENTICATED, None),
    "outside-organisation-detail": (AUTHENTICATED, "external_organisation"),
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
    # System signals (issue 14, point 3): the policy roles see and move their organisation's
    # signals (any team's); a worker only those their team's obstacles fed ("signal" is raised
    # from an obstacle of the scope's team). Team leads and policy analysts raise from a rule;
    # workers and team leads from an obstacle of their own case, and add what they know.
    "library:list": (LIBRARY_READERS, None),
    "library:review_queue": (LIBRARY_READERS, None),
    "library:detail": (LIBRARY_READERS, "example"),
    # Propose from a decided plan: who writes in the plan's team (the form answers 400 empty).
    "library:propose": (CASE_WRITERS, "approved_plan", {"POST": CASE_WRITERS, "team2": NOBODY}),
    # Edit a draft: who writes in its team.
    "library:edit": (CASE_WRITERS, "draft_example", {"POST": CASE_WRITERS, "team2": NOBODY}),
    # Review by a second person: the team lead of its team or a privacy officer of its
    # organisation (the worker proposed it); an empty body is a return without reason (400).
    "library:review": (
        POST_ONLY,
        "proposed_example",
        {
            "POST": frozenset({Role.TEAM_LEAD, Role.PRIVACY_OFFICER}),
            "team2": frozenset({Role.PRIVACY_OFFICER}),
        },
    ),
    "library:withdraw": (
        POST_ONLY,
        "proposed_example",
        {
            "POST": frozenset({Role.WORKER, Role.TEAM_LEAD, Role.PRIVACY_OFFICER}),
            "team2": frozenset({Role.PRIVACY_OFFICER}),
            "post_redirect": "library:list",
        },
    ),
    # "Structuur overnemen" on the plan form: who writes the draft plan; an example that is
    # not in the library (the empty body) sends back to the plan with a message.
    "library:copy_structure": (
        POST_ONLY,
        "plan",
        {"POST": CASE_WRITERS, "post_redirect": "plans:edit"},
    ),
    "library:export": (LIBRARY_EXCHANGERS, None),
    "library:import": (LIBRARY_EXCHANGERS, None, {"POST": LIBRARY_EXCHANGERS}),
    "example-list": (LIBRARY_READERS, None),
    "example-detail": (LIBRARY_READERS, "example"),
    "signals:list": (SIGNAL_READERS, None),
    "signals:new": (SIGNAL_RAISERS, None, {"POST": SIGNAL_RAISERS}),
    "signals:detail": (SIGNAL_READERS, "signal", {"team2": SIGNAL_ROLES}),
    "signals:transition": (
        POST_ONLY,
        "signal",
        {
            "POST": SIGNAL_ROLES,
            "team2": SIGNAL_ROLES,
            "post_redirect": "signals:detail",
            "data": {"to_status": "acknowledged"},
        },
    ),
    "signals:contribute": (
        POST_ONLY,
        "signal",
        {
            "POST": CASE_WRITERS,
            "team2": NOBODY,
            "post_redirect": "signals:detail",
            "data": {"text": "Gebeurt bij elke nieuwe baan."},
        },
    ),
    "signals:from_obstacle": (
        CASE_WRITERS,
        "obstacle",
        {
            "POST": CASE_WRITERS,
            "post_redirect": True,
            "data": {"title": "Komt vaker voor", "summary": "Patroon.", "owner_kind": "national"},
        },
    ),
    # Collective patterns and approaches (issue 14, point 5): aggregates for the report's roles;
    # an approach is seen by the organisation's report roles (any team), started by the team's
    # lead or manager or a director (each within their mandate), recorded by the lead of its own
    # team. The public page needs no login.
    "signals:patterns": (REPORT_ROLES, None),
    "signals:new_approach": (
        frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}),
        None,
        {
            "POST": frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}),
            "post_redirect": True,
            "data": {"name": "Groepsbijeenkomst", "kind": "group_activity", "wijk": "WK999001"},
        },
    ),
    "signals:approach": (REPORT_ROLES, "collective_approach", {"team2": REPORT_ROLES}),
    "signals:record_activity": (
        POST_ONLY,
        "collective_approach",
        {
            "POST": frozenset({Role.TEAM_LEAD}),
            "team2": NOBODY,
            "post_redirect": "signals:approach",
            "data": "signals:record_activity",
        },
    ),
    "public_signals": (PUBLIC, "organisation"),
    # Partner signals (issue 15): a partner's API client only, no person whatever the role.
    # A partner's token, for its part, gets 403 on every other endpoint
    # (test_a_partner_token_reaches_only_the_partner_endpoints, with PARTNER_ENDPOINTS).
    "vroegsignaal-list": (NOBODY, None),
    "vroegsignaal-detail": (NOBODY, "early_signal"),
    "signal-list": (SIGNAL_READERS, None),
    "signal-detail": (SIGNAL_READERS, "signal", {"team2": SIGNAL_ROLES}),
    "signal-transition": (
        SIGNAL_READERS,
        "signal",
        {
            "methods": ("POST",),
            "POST": SIGNAL_ROLES,
            "team2": SIGNAL_ROLES,
            "data": {"to_status": "acknowledged"},
        },
    ),
}

# What a partner's API client reaches: its signals and their feedback, the check of its own
# token, and the public API description. Nothing else, not even with a valid body.
PARTNER_ENDPOINTS = {"vroegsignaal-list", "vroegsignaal-detail", "api-client"}

# Whole URL families decided in one place: the Django admin is for functional administrators.
PREFIX_RULES = {"admin:": frozenset({Role.ADMIN})}
