"""Writes to the legal catalogue. Only a functional administrator writes.

Every change locks the row, bumps its version, stores an immutable revision (who, when, the
changed fields old/new, the full state after the change) and records an audit event with the
same change set — all in one transaction, so a refused change leaves nothing behind.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.accounts.roles import Role
from maatwerk.accounts.selectors import has_role
from maatwerk.audit import services as audit

from . import search as legal_search
from .models import (
    BlockingRule,
    BlockingRuleEscape,
    BlockingRuleRevision,
    Provision,
    ProvisionRevision,
)
from .snapshots import PROVISION_FIELDS, RULE_FIELDS, provision_state, rule_state


def _require_admin(actor) -> None:
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Only a functional administrator may change the legal catalogue."))


def _check_fields(changes: dict, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")


def _code(provision: Provision | None) -> str | None:
    return provision.code if provision is not None else None


def _unique(provisions: Iterable[Provision]) -> list[Provision]:
    seen: set[int] = set()
    result = []
    for p in provisions:
        if p.pk not in seen:
            seen.add(p.pk)
            result.append(p)
    return result


@transaction.atomic
def update_provision(actor, provision: Provision, *, note: str = "", **changes) -> Provision:
    """Change a provision's fields (law, article, title, room_nl, room_en, source_url, verified).

    Returns the saved provision; without an actual change nothing is written.
    """
    _require_admin(actor)
    _check_fields(changes, PROVISION_FIELDS)
    locked = Provision.objects.select_for_update().get(pk=provision.pk)
    scalars = {k: v for k, v in changes.items() if k != "law"}
    diff = audit.diff(locked, scalars)
    if "law" in changes and changes["law"].pk != locked.law_id:
        diff["law"] = {"old": locked.law.code, "new": changes["law"].code}
    if not diff:
        return locked
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.version += 1
    locked.save()
    ProvisionRevision.objects.create(
        provision=locked,
        version=locked.version,
        changed_by=actor,
        changes=diff,
        snapshot=provision_state(locked),
        note=note[:500],
    )
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=locked, reason=note, changes=diff)
    legal_search.index_provision(locked)
    return locked


def _set_escapes(rule: BlockingRule, provisions: Sequence[Provision]) -> None:
    BlockingRuleEscape.objects.filter(rule=rule).delete()
    BlockingRuleEscape.objects.bulk_create(
        BlockingRuleEscape(rule=rule, provision=p, position=i) for i, p in enumerate(provisions)
    )


def _escape_codes(rule: BlockingRule) -> list[str]:
    return list(
        BlockingRuleEscape.objects.filter(rule=rule)
        .order_by("position")
        .values_list("provision__code", flat=True)
    )


@transaction.atomic
def update_blocking_rule(actor, rule: BlockingRule, *, note: str = "", **changes) -> BlockingRule:
    """Change a blocking rule. `escape_provisions` is a sequence of provisions in the order
    plans should propose them; `basis_provision` a provision or None."""
    _require_admin(actor)
    _check_fields(changes, RULE_FIELDS)
    locked = BlockingRule.objects.select_for_update().get(pk=rule.pk)
    scalars = {
        k: v for k, v in changes.items() if k not in ("basis_provision", "escape_provisions")
    }
    diff = audit.diff(locked, scalars)
    if "basis_provision" in changes:
        old, new = _code(locked.basis_provision), _code(changes["basis_provision"])
        if old != new:
            diff["basis_provision"] = {"old": old, "new": new}
    old_escapes = _escape_codes(locked)
    escapes = None
    if "escape_provisions" in changes:
        escapes = _unique(changes["escape_provisions"])
        new_codes = [p.code for p in escapes]
        if new_codes != old_escapes:
            diff["escape_provisions"] = {"old": old_escapes, "new": new_codes}
    if not diff:
        return locked
    for field, value in scalars.items():
        setattr(locked, field, value)
    if "basis_provision" in changes:
        locked.basis_provision = changes["basis_provision"]
    locked.full_clean()
    locked.version += 1
    locked.save()
    if "escape_provisions" in diff:
        _set_escapes(locked, escapes)
        old_escapes = [p.code for p in escapes]
    BlockingRuleRevision.objects.create(
        rule=locked,
        version=locked.version,
        changed_by=actor,
        changes=diff,
        snapshot=rule_state(locked, old_escapes),
        note=note[:500],
    )
    audit.record(actor=actor, action=audit.Action.UPDATE, obj=locked, reason=note, changes=diff)
    legal_search.index_rule(locked)
    return locked


@transaction.atomic
def add_blocking_rule(
    actor,
    *,
    code: str,
    name_nl: str,
    applied_by: str,
    basis_provision: Provision | None = None,
    escape_provisions: Sequence[Provision] = (),
    name_en: str = "",
    description: str = "",
    life_domain: str = "",
    recent_change: str = "",
    note: str = "",
) -> BlockingRule:
    """Add a rule to the catalogue, e.g. when an admin promotes a free-text obstacle."""
    _require_admin(actor)
    rule = BlockingRule(
        code=code,
        name_nl=name_nl,
        name_en=name_en,
        description=description,
        applied_by=applied_by,
        life_domain=life_domain,
        basis_provision=basis_provision,
        recent_change=recent_change,
        version=1,
    )
    rule.full_clean()
    rule.save()
    escapes = _unique(escape_provisions)
    _set_escapes(rule, escapes)
    state = rule_state(rule, [p.code for p in escapes])
    changes = {k: {"old": None, "new": v} for k, v in state.items()}
    BlockingRuleRevision.objects.create(
        rule=rule, version=1, changed_by=actor, changes=changes, snapshot=state, note=note[:500]
    )
    audit.record(actor=actor, action=audit.Action.CREATE, obj=rule, reason=note, changes=changes)
    legal_search.index_rule(rule)
    return rule
