from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Obstacle
from maatwerk.cooperation import selectors as cooperation
from maatwerk.core.errors import to_form
from maatwerk.core.small_numbers import SMALL_NUMBER
from maatwerk.legal.models import Applier

from . import services
from .forms import PromoteRuleForm


@role_required(Role.ADMIN)
def new_rules(request):
    """Rules that workers described anew on an obstacle, waiting to join the regelbank."""
    obstacles = list(case_selectors.new_rule_obstacles(request.user))
    audit.record_views(
        actor=request.user, objects=obstacles, reason="new rules to promote into the regelbank"
    )
    forms_by_obstacle = [
        (
            o,
            PromoteRuleForm(
                prefix=f"o{o.pk}",
                initial={
                    "name_nl": o.description_new_rule[:200],
                    "applied_by": o.applied_by if o.applied_by in Applier.values else "",
                },
            ),
        )
        for o in obstacles
    ]
    return render(request, "signals/new_rules.html", {"rows": forms_by_obstacle})


@require_POST
@role_required(Role.ADMIN)
def promote_rule(request, pk: int):
    try:
        obstacle = case_selectors.new_rule_obstacles(request.user).get(pk=pk)
    except Obstacle.DoesNotExist:
        raise Http404 from None
    form = PromoteRuleForm(request.POST, prefix=f"o{obstacle.pk}")
    if form.is_valid():
        try:
            services.promote_new_rule(actor=request.user, obstacle=obstacle, **form.cleaned_data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The rule is in the regelbank now."))
            return redirect("signals:new_rules")
    return render(request, "signals/new_rules.html", {"rows": [(obstacle, form)]}, status=400)


@role_required(*cooperation.FIGURE_ROLES)
def organisation_figures(request):
    """Per outside organisation: how often the teams asked, what came of it and what it cost
    them, beside the blocking rules behind the requests, over a period chosen by the requests'
    sent date (`?periode=3|6|12|alle`). Aggregates only (no case, no name, no free text), small
    numbers suppressed, so nothing here is a read of personal data."""
    period = request.GET.get("periode", cooperation.DEFAULT_FIGURE_PERIOD)
    if period not in cooperation.FIGURE_PERIODS:
        # A hand-edited or old link: say what is shown instead of changing it silently.
        messages.info(request, _("That period is unknown: the last 12 months are shown."))
        period = cooperation.DEFAULT_FIGURE_PERIOD
    today = timezone.localdate()
    since = cooperation.figure_period_start(period, today)
    context = {
        "rows": cooperation.organisation_figures(request.user, today=today, since=since),
        "small_number": SMALL_NUMBER,
        "period": period,
        "periods": [
            ("3", _("the last 3 months")),
            ("6", _("the last 6 months")),
            ("12", _("the last 12 months")),
            ("alle", _("all requests")),
        ],
        "since": since,
    }
    return render(request, "signals/organisation_figures.html", context)
