"""Everything the organisation holds about one person: the answer to a request for access
(AVG art. 15, issue 17 point 3).

Which tables hold something about the person is not a hand-kept list: every model with a chain
of foreign keys to a household, a resident or a case is found by walking the models, so a new
model is in the export the day it is added. A model left out must be named in EXCLUDED with the
reason (tests/privacy/test_access_export.py fails otherwise).
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Membership
from maatwerk.accounts.roles import Role
from maatwerk.audit.models import AuditEvent
from maatwerk.cases import bsn as bsn_module
from maatwerk.cases.models import Resident
from maatwerk.partners import identity
from maatwerk.partners.models import EarlySignal

from . import register

ROOTS = ("cases.resident", "cases.household", "cases.case")
# Fields that never leave the database, not even to the person: keys and encrypted values (the
# export names the BSN once, masked, in its heading).
SECRET_FIELDS = {"bsn_encrypted", "bsn_hash", "person_key", "password", "key_hash", "secret"}
# Models that reach a case but hold nothing about the person, each with the reason.
_NO_PERSON = "geen gegevens over een persoon"
EXCLUDED = {
    "decisions.collectiveactivity": f"collectieve aanpak van een wijk; {_NO_PERSON}",
    "followup.cohortfigures": "rekenuitkomsten per plan voor cohorten; alleen bedragen en codes",
    "followup.cohortrule": "cohortindeling per plan; alleen codes",
    "signals.contribution": f"telling voor een systeemsignaal; {_NO_PERSON}",
    "signals.signal": f"systeemsignaal over een regel; {_NO_PERSON}",
    "signals.signalevent": f"geschiedenis van een systeemsignaal; {_NO_PERSON}",
    "signals.signalfeed": f"telling voor een systeemsignaal; {_NO_PERSON}",
}


def _person_links(model) -> list[models.Field]:
    """Foreign keys (and one-to-ones) of `model` that point at another model."""
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model
    ]


def paths() -> dict[str, list[str]]:
    """Per model label: the ORM lookups from that model to a root, e.g. followup.outcome →
    ["followup__plan__case"]. Shortest chains first; a model may reach the roots several ways."""
    found: dict[str, list[str]] = {label: [""] for label in ROOTS}
    queue = deque(ROOTS)
    all_models = [m for m in apps.get_models() if m._meta.label_lower.split(".")[0] != "auth"]
    while queue:
        target = queue.popleft()
        for model in all_models:
            label = model._meta.label_lower
            if label in ROOTS:
                continue
            for f in _person_links(model):
                if f.related_model._meta.label_lower != target:
                    continue
                chains = [f"{f.name}__{p}" if p else f.name for p in found[target]]
                known = found.setdefault(label, [])
                new = [c for c in chains if c not in known and c.count("__") < 6]
                if new:
                    known.extend(new)
                    queue.append(label)
    return found


@dataclass
class Section:
    label: str
    title: str
    rows: list[dict] = field(default_factory=list)
    field_labels: dict[str, str] = field(default_factory=dict)  # field name → its Dutch name

    def readable_rows(self) -> list[list[tuple[str, object]]]:
        """Rows for the PDF, for a resident to read: the fields with a Dutch name, no internal
        numbers (ids, links to other rows), yes/no, dates written out, and structured values
        (a calculation) pointed to in the JSON file instead of printed as code."""
        return [
            [
                (self.field_labels[name], _readable(value))
                for name, value in row.items()
                if name in self.field_labels
            ]
            for row in self.rows
        ]


def _readable(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (dict, list)) and not (isinstance(value, dict) and "label" in value):
        return _("(a calculation or list: see the JSON file)") if value else "–"
    if isinstance(value, dict):
        return value["label"]
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return date_format(date.fromisoformat(value), "j F Y")
            moment = timezone.localtime(datetime.fromisoformat(value))
            return date_format(moment, "j F Y H:i")
        except ValueError:
            return value
    return "–" if value in (None, "") else value


@dataclass
class Export:
    bsn_masked: str
    made_on: date
    controller: str
    sections: list[Section]
    views: list[dict]
    recipients: list[str]
    retention: str

    def as_dict(self) -> dict:
        return {
            "bsn": self.bsn_masked,
            "made_on": self.made_on.isoformat(),
            "controller": self.controller,
            "sections": [
                {"table": s.label, "title": s.title, "rows": s.rows}
                for s in self.sections
                if s.rows
            ],
            "views": self.views,
            "recipients": self.recipients,
            "retention": self.retention,
        }


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _labels(model) -> dict[str, str]:
    """The Dutch names of the fields a resident reads (not ids or links to other rows)."""
    return {
        f.name: str(f.verbose_name)
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.is_relation and f.name not in SECRET_FIELDS
    }


def _row(obj) -> dict:
    row = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            row[f.name] = {
                "code": _plain(value),
                "label": str(getattr(obj, f"get_{f.name}_display")()),
            }
        else:
            row[f.name] = _plain(value)
    return row


def residents_for(bsn: str, organisation_ids) -> list[Resident]:
    """The person's resident records in the organisation(s), found by the keyed hash only."""
    digest = bsn_module.lookup_hash(bsn)
    return list(
        Resident.objects.filter(
            bsn_hash=digest, household__team__organisation_id__in=organisation_ids
        ).select_related("household")
    )


def build(bsn: str, residents: list[Resident], organisation_ids, controller: str) -> Export:
    """The export for the person with `bsn` (already validated), whose records are `residents`."""
    household_ids = {r.household_id for r in residents}
    resident_ids = {r.pk for r in residents}
    root_filters = {
        "cases.resident": ("id", resident_ids),
        "cases.household": ("id", household_ids),
        "cases.case": ("household_id", household_ids),
    }
    sections: list[Section] = []
    shown: dict[str, set[str]] = {}
    for label, chains in sorted(paths().items()):
        if label in EXCLUDED:
            continue
        model = apps.get_model(label)
        query = Q()
        for chain in chains:
            root = _root_of(model, chain)
            column, ids = root_filters[root]
            lookup = f"{chain}__{column}__in" if chain else f"{column}__in"
            query |= Q(**{lookup: ids})
        if label == "cases.resident":
            # Only the person's own records; other members of the household are counted, not named.
            query = Q(id__in=resident_ids)
        if label == "partners.earlysignal" and bsn:
            query |= Q(person_key=_signal_key(bsn))
        objects = list(model._default_manager.filter(query).distinct().order_by("pk"))
        shown[label] = {str(o.pk) for o in objects}
        sections.append(
            Section(
                label,
                str(model._meta.verbose_name_plural),
                [_row(o) for o in objects],
                _labels(model),
            )
        )
    _add_unlinked_signal_attempts(sections, shown)
    views = _views(shown)
    request_ids = shown.get("cooperation.cooperationrequest", set())
    recipients = sorted(
        set(
            apps.get_model("cooperation", "cooperationrequest")
            .objects.filter(pk__in=request_ids)
            .values_list("organisation__name", flat=True)
        )
    )
    _version, activities = register.load()
    case_work = next(a for a in activities if a.code == "casusregie")
    return Export(
        bsn_masked=bsn_module.mask(bsn) if bsn else "–",
        made_on=date.today(),
        controller=controller,
        sections=sections,
        views=views,
        recipients=[*case_work.recipients, *recipients],
        retention=case_work.retention,
    )


def _root_of(model, chain: str) -> str:
    current = model
    for name in chain.split("__") if chain else []:
        current = current._meta.get_field(name).related_model
    return current._meta.label_lower


def _signal_key(bsn: str) -> str:
    return identity.person_key(settings.MAATWERK_BSN_KEY, bsn=bsn)


def _add_unlinked_signal_attempts(sections: list[Section], shown: dict[str, set[str]]) -> None:
    """Contact attempts on a signal found by BSN alone (not linked to a case) reach no case."""
    signal_ids = shown.get("partners.earlysignal", set())
    if not signal_ids:
        return
    model = apps.get_model("partners", "contactattempt")
    section = next((s for s in sections if s.label == "partners.contactattempt"), None)
    if section is None:
        section = Section(
            "partners.contactattempt",
            str(model._meta.verbose_name_plural),
            field_labels=_labels(model),
        )
        sections.append(section)
    have = shown.setdefault("partners.contactattempt", set())
    signal_field = next(f.name for f in _person_links(model) if f.related_model is EarlySignal)
    for obj in model._default_manager.filter(**{f"{signal_field}_id__in": signal_ids}).order_by(
        "pk"
    ):
        if str(obj.pk) not in have:
            have.add(str(obj.pk))
            section.rows.append(_row(obj))


def _views(shown: dict[str, set[str]]) -> list[dict]:
    """Who looked at the person's data: date and role, and the name only where the
    organisation chose so (MAATWERK_ACCESS_EXPORT_NAMES)."""
    query = Q()
    for label, ids in shown.items():
        if ids:
            query |= Q(object_type=label, object_id__in=ids)
    if not query:
        return []
    events = list(
        AuditEvent.objects.filter(query, action=AuditEvent.Action.VIEW, actor__isnull=False)
        .order_by("occurred_at")
        .values("occurred_at", "actor_id", "actor__first_name", "actor__last_name", "object_type")
    )
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        user_id__in={e["actor_id"] for e in events}
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    names = settings.MAATWERK_ACCESS_EXPORT_NAMES
    result = []
    for e in events:
        row = {
            "date": timezone_date(e["occurred_at"]).isoformat(),
            "role": ", ".join(sorted(str(Role(r).label) for r in roles.get(e["actor_id"], ()))),
            "what": str(_object_name(e["object_type"])),
        }
        if names:
            row["name"] = f"{e['actor__first_name']} {e['actor__last_name']}".strip()
        result.append(row)
    return result


def timezone_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _object_name(label: str) -> str:
    try:
        return apps.get_model(label)._meta.verbose_name
    except (LookupError, ValueError):
        return label
