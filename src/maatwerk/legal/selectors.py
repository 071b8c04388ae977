"""Reads of the legal catalogue (*regelbank*).

The catalogue holds no personal data: every logged-in user may read all of it, so these
selectors take no user. Querysets come with their relations loaded, so list pages and the API
run a fixed number of queries whatever the size of the catalogue.
"""

from django.db.models import Prefetch, Q, QuerySet

from .models import (
    BlockingRule,
    BlockingRuleEscape,
    BlockingRuleRevision,
    Law,
    Provision,
    ProvisionRevision,
    VerifiedStatus,
)

ESCAPES_ATTR = "ordered_escape_routes"


def laws() -> QuerySet[Law]:
    return Law.objects.order_by("name")


def _escape_routes() -> Prefetch:
    return Prefetch(
        "escape_routes",
        queryset=BlockingRuleEscape.objects.select_related("provision__law").order_by("position"),
        to_attr=ESCAPES_ATTR,
    )


def provisions(
    *, text: str = "", law: str = "", verified: str = "", life_domain: str = ""
) -> QuerySet[Provision]:
    """Provisions matching all given filters.

    `law` is a law's abbreviation (case-insensitive); `verified` a `VerifiedStatus` value;
    `life_domain` keeps provisions that a blocking rule of that domain rests on or escapes through.
    """
    qs = Provision.objects.select_related("law")
    if text:
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(title__icontains=text)
            | Q(article__icontains=text)
            | Q(room_nl__icontains=text)
            | Q(room_en__icontains=text)
            | Q(law__name__icontains=text)
            | Q(law__code__iexact=text)
        )
    if law:
        qs = qs.filter(law__code__iexact=law)
    if verified:
        qs = qs.filter(verified=verified)
    if life_domain:
        used = BlockingRule.objects.filter(life_domain=life_domain)
        qs = qs.filter(
            Q(pk__in=used.values("basis_provision"))
            | Q(pk__in=BlockingRuleEscape.objects.filter(rule__in=used).values("provision"))
        )
    return qs.order_by("law__name", "code")


def blocking_rules(
    *, text: str = "", law: str = "", verified: str = "", life_domain: str = ""
) -> QuerySet[BlockingRule]:
    """Blocking rules matching all given filters, with their provisions loaded.

    `law` and `verified` apply to the provision the rule rests on.
    """
    qs = BlockingRule.objects.select_related("basis_provision__law").prefetch_related(
        _escape_routes()
    )
    if text:
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(name_nl__icontains=text)
            | Q(name_en__icontains=text)
            | Q(description__icontains=text)
            | Q(recent_change__icontains=text)
            | Q(basis_provision__title__icontains=text)
            | Q(basis_provision__code__icontains=text)
        )
    if law:
        qs = qs.filter(basis_provision__law__code__iexact=law)
    if verified:
        qs = qs.filter(basis_provision__verified=verified)
    if life_domain:
        qs = qs.filter(life_domain=life_domain)
    return qs.order_by("name_nl")


def provision_detail(pk: int) -> Provision:
    """One provision; raises Provision.DoesNotExist."""
    return Provision.objects.select_related("law").get(pk=pk)


def blocking_rule_detail(pk: int) -> BlockingRule:
    """One blocking rule with its provisions; raises BlockingRule.DoesNotExist."""
    return (
        BlockingRule.objects.select_related("basis_provision__law")
        .prefetch_related(_escape_routes())
        .get(pk=pk)
    )


def escape_provisions_for(rule: BlockingRule) -> list[Provision]:
    """The provisions that may offer a way out of `rule`, in the order to propose them.

    Plans propose these first for an obstacle with this rule. Uses the prefetched routes when
    the rule came from `blocking_rules()` or `blocking_rule_detail()` (no extra query).
    """
    routes = getattr(rule, ESCAPES_ATTR, None)
    if routes is None:
        routes = BlockingRuleEscape.objects.filter(rule=rule).select_related("provision__law")
        routes = routes.order_by("position")
    return [r.provision for r in routes]


def rules_resting_on(provision: Provision) -> QuerySet[BlockingRule]:
    return BlockingRule.objects.filter(basis_provision=provision).order_by("name_nl")


def rules_escaping_through(provision: Provision) -> QuerySet[BlockingRule]:
    return BlockingRule.objects.filter(escape_routes__provision=provision).order_by("name_nl")


def provision_history(provision: Provision) -> QuerySet[ProvisionRevision]:
    """Revisions, newest first."""
    return provision.revisions.select_related("changed_by").order_by("-version")


def blocking_rule_history(rule: BlockingRule) -> QuerySet[BlockingRuleRevision]:
    """Revisions, newest first."""
    return rule.revisions.select_related("changed_by").order_by("-version")


def needs_check_count() -> int:
    return Provision.objects.exclude(verified=VerifiedStatus.YES).count()
