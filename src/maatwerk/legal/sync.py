"""Bringing a deployment's regelbank up to date with the project's data files (legal/data).

The files are the shared catalogue's source; a functional administrator may reword a provision
or a rule locally (legal/services.py). A load creates what is new, updates what nobody changed
locally, and keeps every local change, reporting it. Each change writes a revision (changed by
nobody, with the load's note) and an audit event, as a person's change does.
"""

from django.db import transaction

from maatwerk.audit import services as audit
from maatwerk.core import catalogue_sync
from maatwerk.core.catalogue_sync import Action, Current, Kind

from . import search as legal_search
from . import seed
from .models import (
    BlockingRule,
    BlockingRuleEscape,
    BlockingRuleRevision,
    Law,
    Provision,
    ProvisionRevision,
)
from .snapshots import provision_state, rule_state

NOTE = "bijgewerkt uit de catalogusbestanden van Open Maatwerk"


def provision_files() -> dict[str, dict]:
    """The files' provisions in the shape of `provision_state` (the law named by its code)."""
    return {
        row["code"]: {
            "code": row["code"],
            "law": row["law_code"],
            "article": row["article"],
            "title": row["title"],
            "room_nl": row["room_nl"],
            "room_en": row["room_en"],
            "applied_by": row["applied_by"],
            "applied_by_nl": row["applied_by_nl"],
            "example_nl": row["example_nl"],
            "version_date": row["version_date"],
            "source_url": row["source_url"],
            "verified": row["verified"],
        }
        for row in seed.provision_rows()
    }


def law_files() -> dict[str, dict]:
    """Per law code: its official name, BWB id and address, as the files name them."""
    return {
        row["law_code"]: {
            "name": row["law_name"],
            "bwb_id": row["bwb_id"],
            "source_url": seed.law_source_url(row["bwb_id"]),
        }
        for row in seed.provision_rows()
    }


def rule_files() -> dict[str, dict]:
    return {
        row["code"]: {
            "code": row["code"],
            "name_nl": row["name_nl"],
            "name_en": row["name_en"],
            "applied_by": row["applied_by"],
            "life_domain": row["life_domain"],
            "basis_provision": row["basis"] or None,
            "escape_provisions": list(row["escapes"]),
            "recent_change": row["recent_change"],
            "applied_by_nl": row["applied_by_nl"],
            "basis_article": row["basis_article"],
            "basis_source_url": row["basis_source_url"],
            "basis_version_date": row["basis_version_date"],
            "escape_routes_nl": row["escape_routes_nl"],
            "example_nl": row["example_nl"],
        }
        for row in seed.rule_rows()
    }


def _latest_by(revisions) -> dict[int, bool]:
    """Per row id: was its latest revision written by the files (nobody) rather than a person?"""
    latest: dict[int, bool] = {}
    for owner_id, changed_by_id in revisions:
        latest.setdefault(owner_id, changed_by_id is None)
    return latest


def current_provisions() -> dict[str, Current]:
    from_files = _latest_by(
        ProvisionRevision.objects.order_by("provision_id", "-version").values_list(
            "provision_id", "changed_by_id"
        )
    )
    return {
        p.code: Current(provision_state(p), from_files.get(p.pk, False))
        for p in Provision.objects.select_related("law")
    }


def current_rules() -> dict[str, Current]:
    from_files = _latest_by(
        BlockingRuleRevision.objects.order_by("rule_id", "-version").values_list(
            "rule_id", "changed_by_id"
        )
    )
    escapes: dict[int, list[str]] = {}
    for rule_id, code in BlockingRuleEscape.objects.order_by("rule_id", "position").values_list(
        "rule_id", "provision__code"
    ):
        escapes.setdefault(rule_id, []).append(code)
    return {
        r.code: Current(rule_state(r, escapes.get(r.pk, [])), from_files.get(r.pk, False))
        for r in BlockingRule.objects.select_related("basis_provision")
    }


def current_laws() -> dict[str, Current]:
    # A law is not edited locally (it has no form): its facts always follow the files.
    return {
        law.code: Current(
            {"name": law.name, "bwb_id": law.bwb_id, "source_url": law.source_url}, True
        )
        for law in Law.objects.all()
    }


def plan() -> dict[str, list[Action]]:
    """What a load would do, per kind of row (laws, then provisions: rules refer to them)."""
    return {
        "laws": catalogue_sync.plan(law_files(), current_laws()),
        "provisions": catalogue_sync.plan(provision_files(), current_provisions()),
        "rules": catalogue_sync.plan(rule_files(), current_rules()),
    }


def _apply_law(action: Action) -> None:
    """A new law, or a corrected name, BWB id or address (e.g. the Wgs's BWB id), audited."""
    if action.kind == Kind.CREATE:
        law = Law.objects.create(code=action.code, **action.state)
        kind = audit.Action.CREATE
    else:
        law = Law.objects.select_for_update().get(code=action.code)
        for name, value in action.state.items():
            setattr(law, name, value)
        law.save()
        kind = audit.Action.UPDATE
    audit.record(actor=None, action=kind, obj=law, reason=NOTE, changes=dict(action.changes))


def _law(code: str) -> Law:
    return Law.objects.get(code=code)


def _apply_provision(action: Action) -> None:
    state = action.state
    fields = {k: v for k, v in state.items() if k not in {"code", "law"}}
    if action.kind == Kind.CREATE:
        provision = Provision.objects.create(
            code=action.code, law=_law(state["law"]), version=1, **fields
        )
        kind = audit.Action.CREATE
    else:
        provision = Provision.objects.select_for_update().get(code=action.code)
        for name, value in fields.items():
            setattr(provision, name, value)
        provision.law = _law(state["law"])
        provision.version += 1
        provision.save()
        kind = audit.Action.UPDATE
    changes = dict(action.changes)
    ProvisionRevision.objects.create(
        provision=provision,
        version=provision.version,
        changes=changes,
        snapshot=provision_state(provision),
        note=NOTE,
    )
    audit.record(actor=None, action=kind, obj=provision, reason=NOTE, changes=changes)


def _apply_rule(action: Action) -> None:
    state = action.state
    basis = state["basis_provision"]
    fields = {
        k: v for k, v in state.items() if k not in {"code", "basis_provision", "escape_provisions"}
    }
    if action.kind == Kind.CREATE:
        rule = BlockingRule.objects.create(code=action.code, version=1, **fields)
        kind = audit.Action.CREATE
    else:
        rule = BlockingRule.objects.select_for_update().get(code=action.code)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.version += 1
        kind = audit.Action.UPDATE
    rule.basis_provision = Provision.objects.get(code=basis) if basis else None
    rule.save()
    codes = list(state["escape_provisions"])
    by_code = Provision.objects.in_bulk(codes, field_name="code")
    BlockingRuleEscape.objects.filter(rule=rule).delete()
    BlockingRuleEscape.objects.bulk_create(
        BlockingRuleEscape(rule=rule, provision=by_code[code], position=i)
        for i, code in enumerate(codes)
    )
    changes = dict(action.changes)
    BlockingRuleRevision.objects.create(
        rule=rule,
        version=rule.version,
        changes=changes,
        snapshot=rule_state(rule, codes),
        note=NOTE,
    )
    audit.record(actor=None, action=kind, obj=rule, reason=NOTE, changes=changes)


@transaction.atomic
def load(*, dry_run: bool = False) -> dict[str, list[Action]]:
    """Carry out `plan()` in one transaction; with `dry_run` only plan. Returns the plan."""
    missing = seed.unlinked_codes()
    if missing:
        raise ValueError(f"blocking rules refer to unknown provisions: {missing}")
    planned = plan()
    if dry_run:
        return planned
    writes = {Kind.CREATE, Kind.UPDATE}
    for action in planned["laws"]:
        if action.kind in writes:
            _apply_law(action)
    for action in planned["provisions"]:
        if action.kind in writes:
            _apply_provision(action)
    for action in planned["rules"]:
        if action.kind in writes:
            _apply_rule(action)
    # The whole regelbank is a few hundred rows: rebuilding its index is cheaper than tracking
    # which rows and their neighbours (a rule names its provisions) a load touched.
    legal_search.reindex_all()
    return planned
