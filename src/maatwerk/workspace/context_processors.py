from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from maatwerk.accounts.roles import CASE_ROLES, Role
from maatwerk.accounts.selectors import roles
from maatwerk.cooperation.selectors import FIGURE_ROLES
from maatwerk.signals.selectors import REPORT_ROLES


def navigation(request):
    """Main menu items for the user's roles; only links the user may follow.

    It links to every app, so it lives in the top layer (core knows no app above it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    user_roles = roles(user)
    items = [(reverse("home"), _("Start"))]
    if user_roles & CASE_ROLES:
        items.append((reverse("cases:list"), _("Cases")))
    if user_roles & (CASE_ROLES | {Role.DECIDER}):
        items.append((reverse("decisions:inbox"), _("Decisions")))
    # The early-signal triage queue: in a worker's menu; a team lead's menu is full at 1280 px,
    # so theirs is the task on the start page (workspace.selectors.signal_tasks).
    if Role.WORKER in user_roles and Role.TEAM_LEAD not in user_roles:
        items.append((reverse("partners:queue"), pgettext("menu", "Early signals")))
    if user_roles & {Role.TEAM_LEAD, Role.MANAGER, Role.DIRECTOR}:
        items.append((reverse("decisions:budgets"), pgettext("menu", "Budgets")))
        # Did the approved plans pay off (followup cohorts): the same roles (COHORT_ROLES).
        items.append((reverse("followup:cohorts"), pgettext("menu", "Pay-off")))
    if user_roles - {Role.PARTNER_CLIENT}:
        items.append((reverse("costs:catalogue"), _("Costs")))
        items.append((reverse("costs:calculator"), _("Calculator")))
    # The directory of outside organisations: kept by the administrator; workers reach it from
    # the requests on a case or plan (one more item would wrap a team lead's menu at 1280 px).
    if Role.ADMIN in user_roles:
        items.append((reverse("cooperation:directory"), _("Organisations")))
    # The signal report (it links the figures per outside organisation): for everyone who may
    # read it (the view's rule); the figures alone for anyone else who may read those.
    if user_roles & REPORT_ROLES:
        items.append((reverse("signals:report"), pgettext("menu", "Signals")))
    elif user_roles & FIGURE_ROLES:
        items.append((reverse("signals:organisations"), pgettext("menu", "Signals")))
    items.append((reverse("legal:index"), _("Legal catalogue")))  # no personal data: everyone
    # Approved examples are for everyone of the deployment (partner clients reach only the API).
    if user_roles - {Role.PARTNER_CLIENT}:
        items.append((reverse("library:list"), pgettext("menu", "Examples")))
    if Role.PRIVACY_OFFICER in user_roles:
        items.append((reverse("privacy:index"), _("Privacy")))
    elif Role.ADMIN in user_roles:
        # The retention table is data the administrator keeps an eye on (issue 17, point 1).
        items.append((reverse("privacy:retention"), pgettext("menu", "Retention")))
    # The API is used with a client's token, not by people at work: the documentation is for
    # the administrator who issues the tokens and the partner who builds the connection.
    if user_roles & {Role.ADMIN, Role.PARTNER_CLIENT}:
        items.append((reverse("api-docs"), _("API")))
    # Security (the user's own account) is the link on the user's name in the header
    # (base.html), so a manager's menu with "Opbrengst" still fits one line at 1280 px.
    path = request.path
    return {
        "nav_items": [{"url": url, "label": label, "current": path == url} for url, label in items]
    }
