from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maatwerk.accounts.decorators import role_required
from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role
from maatwerk.core.domains import LifeDomain
from maatwerk.core.errors import to_form

from . import search as legal_search
from . import selectors, services
from .forms import BlockingRuleForm, ProvisionForm, RegelbankFilterForm
from .models import Applier, BlockingRule, Provision, VerifiedStatus
from .seed import SEED_NOTE


@login_required
def index(request):
    form = RegelbankFilterForm(request.GET or None, laws=list(selectors.laws()))
    f = form.cleaned_data if form.is_valid() else {}
    filters = {
        "text": f.get("q", ""),
        "law": f.get("law", ""),
        "verified": f.get("verified", ""),
        "life_domain": f.get("life_domain", ""),
    }
    query = filters.pop("text")
    expansion = legal_search.expansion(query)
    if expansion.strong:
        # Words: ranked by the full-text index (stems, synonyms), within the other filters.
        rule_results = legal_search.search_rules(query, selectors.blocking_rules(**filters))
        provision_results = legal_search.search_provisions(query, selectors.provisions(**filters))
        rules = [r.obj for r in rule_results]
        provisions = [r.obj for r in provision_results]
        for result in [*rule_results, *provision_results]:
            result.obj.snippet = result.snippet
            result.obj.marked_title = result.title
    else:
        provisions = list(selectors.provisions(**filters))
        rules = list(selectors.blocking_rules(**filters))
    return render(
        request,
        "legal/index.html",
        {
            "form": form,
            "provisions": provisions,
            "rules": rules,
            "filtered": bool(query) or any(filters.values()),
            "query": query,
            # The words and situations the synonyms added to this query (the first alternative
            # is the query itself), so the help line says what was searched, not an example.
            "also_searched": expansion.strong[1:],
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


def _provision_or_404(pk) -> Provision:
    try:
        return selectors.provision_detail(pk)
    except Provision.DoesNotExist:
        raise Http404 from None


def _rule_or_404(pk) -> BlockingRule:
    try:
        return selectors.blocking_rule_detail(pk)
    except BlockingRule.DoesNotExist:
        raise Http404 from None


def _display(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "verified" and value in VerifiedStatus.values:
        return str(VerifiedStatus(value).label)
    if field == "applied_by" and value in Applier.values:
        return str(Applier(value).label)
    if field == "life_domain":
        return str(LifeDomain(value).label) if value in LifeDomain.values else str(value)
    return str(value)


def _history(revisions, model) -> list[dict]:
    """Revisions with readable field labels and values, for the history table."""
    labels = {
        f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")
    }
    rows = []
    for rev in revisions:
        seeded = rev.changed_by_id is None and rev.note == SEED_NOTE
        changes = [
            {
                "label": labels.get(field, field),
                "old": _display(field, change.get("old")),
                "new": _display(field, change.get("new")),
            }
            for field, change in rev.changes.items()
        ]
        rows.append({"revision": rev, "seeded": seeded, "changes": [] if seeded else changes})
    return rows


@login_required
def provision_detail(request, pk: int):
    provision = _provision_or_404(pk)
    return render(
        request,
        "legal/provision_detail.html",
        {
            "provision": provision,
            "resting": list(selectors.rules_resting_on(provision)),
            "escaping": list(selectors.rules_escaping_through(provision)),
            "history": _history(selectors.provision_history(provision), Provision),
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


@login_required
def rule_detail(request, pk: int):
    rule = _rule_or_404(pk)
    return render(
        request,
        "legal/rule_detail.html",
        {
            "rule": rule,
            "escapes": selectors.escape_provisions_for(rule),
            "history": _history(selectors.blocking_rule_history(rule), BlockingRule),
            "is_admin": has_role(request.user, Role.ADMIN),
        },
    )


@role_required(Role.ADMIN)
def edit_provision(request, pk: int):
    provision = _provision_or_404(pk)
    form = ProvisionForm(request.POST or None, instance=_provision_or_404(pk))
    if request.method == "POST" and form.is_valid():
        if not form.has_changed() or form.changed_data == ["note"]:
            messages.info(request, _("Nothing was changed."))
            return redirect("legal:provision", pk=provision.pk)
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        try:
            services.update_provision(request.user, provision, note=note, **data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The article is saved as a new version."))
            return redirect("legal:provision", pk=provision.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "legal/edit_provision.html", {"provision": provision, "form": form}, status=status
    )


def _ordered(current: list[Provision], chosen) -> list[Provision]:
    """Keep the order of ways out that stay; new ones go last."""
    chosen = list(chosen)
    chosen_ids = {p.pk for p in chosen}
    kept = [p for p in current if p.pk in chosen_ids]
    kept_ids = {p.pk for p in kept}
    return kept + [p for p in chosen if p.pk not in kept_ids]


@role_required(Role.ADMIN)
def edit_rule(request, pk: int):
    rule = _rule_or_404(pk)
    current = selectors.escape_provisions_for(rule)
    form = BlockingRuleForm(
        request.POST or None, instance=_rule_or_404(pk), escape_provisions=current
    )
    if request.method == "POST" and form.is_valid():
        if not form.has_changed() or form.changed_data == ["note"]:
            messages.info(request, _("Nothing was changed."))
            return redirect("legal:rule", pk=rule.pk)
        data = dict(form.cleaned_data)
        note = data.pop("note", "")
        data["escape_provisions"] = _ordered(current, data["escape_provisions"])
        try:
            services.update_blocking_rule(request.user, rule, note=note, **data)
        except ValidationError as e:
            to_form(form, e)
        else:
            messages.success(request, _("The blocking rule is saved as a new version."))
            return redirect("legal:rule", pk=rule.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "legal/edit_rule.html", {"rule": rule, "form": form}, status=status)
