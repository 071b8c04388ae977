"""Plain-value snapshots of catalogue rows, for revisions and audit change sets.

Relations are named by code (stable and readable in a history), never by database id. Works with
historical models too, so the seed migration uses the same shape as the services.
"""

from maatwerk.core.catalogue_sync import differences

PROVISION_FIELDS = (
    "law",
    "article",
    "title",
    "room_nl",
    "room_en",
    "applied_by",
    "applied_by_nl",
    "example_nl",
    "version_date",
    "source_url",
    "verified",
)
RULE_FIELDS = (
    "name_nl",
    "name_en",
    "description",
    "applied_by",
    "life_domain",
    "basis_provision",
    "escape_provisions",
    "recent_change",
    "applied_by_nl",
    "basis_article",
    "basis_source_url",
    "basis_version_date",
    "escape_routes_nl",
    "example_nl",
)


def _later(row, name: str):
    """A field added after the seed migration: absent on that migration's historical model."""
    value = getattr(row, name, None)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None and not name.endswith("_date") else value


def provision_state(provision) -> dict:
    return {
        "code": provision.code,
        "law": provision.law.code,
        "article": provision.article,
        "title": provision.title,
        "room_nl": provision.room_nl,
        "room_en": provision.room_en,
        "applied_by": _later(provision, "applied_by"),
        "applied_by_nl": _later(provision, "applied_by_nl"),
        "example_nl": _later(provision, "example_nl"),
        "version_date": _later(provision, "version_date"),
        "source_url": provision.source_url,
        "verified": provision.verified,
    }


def rule_state(rule, escape_codes) -> dict:
    basis = rule.basis_provision
    return {
        "code": rule.code,
        "name_nl": rule.name_nl,
        "name_en": rule.name_en,
        "description": rule.description,
        "applied_by": rule.applied_by,
        "life_domain": rule.life_domain,
        "basis_provision": basis.code if basis is not None else None,
        "escape_provisions": list(escape_codes),
        "recent_change": rule.recent_change,
        "applied_by_nl": _later(rule, "applied_by_nl"),
        "basis_article": _later(rule, "basis_article"),
        "basis_source_url": _later(rule, "basis_source_url"),
        "basis_version_date": _later(rule, "basis_version_date"),
        "escape_routes_nl": _later(rule, "escape_routes_nl"),
        "example_nl": _later(rule, "example_nl"),
    }


def changed(old: dict, new: dict) -> dict:
    """Old/new per field that differs between two states (the catalogue loader's rule)."""
    return differences(old, new)
