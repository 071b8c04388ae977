"""What destroying a case does to each table (issue 17, point 2).

Destruction keeps the rows that carry figures and removes what describes a person: the signal
report counts obstacles, plans, approvals and euros per rule and period, and the follow-up
cohorts read plans, ledger entries, outcomes and their stored figures, all by foreign keys that
cascade (a plan PROTECTs its case, an obstacle CASCADEs with its household). Deleting those rows
would change the figures, so they stay as anonymous tombstones with every free text replaced
(`DESTROYED_TEXT` where there was text, so required fields and check constraints still hold)
and every identifying value emptied. What carries no figure goes: the case's notes, and — once
every case of the household is destroyed — the residents (names, birth dates, the encrypted BSN
and its keyed hash) with the requests recorded on them.

`BLANK` names, per model, the path to the case and the fields emptied; `KEEP` names the text
fields left as they are, each with the reason; `DELETED` and `NOT_CASE_DATA` the rest. A test
(tests/privacy/test_destruction.py) walks every model that reaches a case, household or resident
and fails on a text field in none of them, so a new free-text field is decided on the day it
is added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Case as When_
from django.db.models import F, Value, When
from django.utils import timezone

DESTROYED_TEXT = "[vernietigd]"


@dataclass(frozen=True)
class Blank:
    to_case: str  # the ORM path from the model to the case ("" for the case itself)
    text: tuple[str, ...]  # free text: DESTROYED_TEXT where it held text, empty stays empty
    empty: tuple[str, ...] = ()  # identifying values: emptied
    null: tuple[str, ...] = ()  # identifying values that may be null: set to null
    extra: dict = field(default_factory=dict)  # fixed values (a destruction marker)
    stamp: str = ""  # a datetime field set to the moment of destruction (kept once set)


BLANK: dict[str, Blank] = {
    "cases.case": Blank("", ("title", "goal", "first_step")),
    "cases.caseorganisation": Blank("case", ("contact_note",)),
    "cases.obstacle": Blank("case", ("description_new_rule", "effect")),
    "cooperation.contact": Blank("request__case", ("note",)),
    "cooperation.cooperationrequest": Blank("case", ("question", "consent_scope", "answer_reason")),
    "cooperation.referral": Blank(
        "request__case", ("question", "answer_reason", "outcome"), empty=("document_sha256",)
    ),
    "decisions.consultation": Blank(
        "plan__case", ("participants", "question", "advice", "decided_with_it")
    ),
    "decisions.decisionstep": Blank("plan__case", ("reason",)),
    # The ledger row itself is append-only (and keeps amount, budget, plan, kind of payee);
    # its payee and note stand beside it and are emptied, with the day (the ledger page then
    # says they were removed and when).
    "decisions.ledgerentrydetail": Blank(
        "entry__plan__case", (), empty=("payee", "note"), stamp="destroyed_at"
    ),
    "followup.checkin": Blank("pilot_light__case", ("text",)),
    "followup.outcome": Blank("followup__plan__case", ("text",)),
    "partners.earlysignal": Blank(
        "case",
        (),
        empty=(
            "bsn_encrypted",
            "person_key",
            "postcode",
            "house_number_addition",
            "phone",
            "email",
        ),
        null=("house_number", "birth_date"),
        stamp="destroyed_at",
    ),
    "plans.plan": Blank(
        "case",
        ("solution", "by_whom", "payee", "amount_reason", "resident_words", "close_reason"),
    ),
    "plans.planprovision": Blank("plan__case", ("explanation",)),
    "plans.scenarioline": Blank("plan__case", ("label",)),
    "privacy.legalhold": Blank("case", ("reason", "lift_reason")),
}
# The line descriptions inside a stored calculation (its figures stay: the signal report and the
# cohorts read the totals from it).
SNAPSHOT = ("plans.calculationsnapshot", "plan__case", "label")
DELETED = {
    "cases.casenote": "case",  # the notes: free text only, no figure
}
# With the household's last case: the persons and what was recorded on them.
DELETED_WITH_HOUSEHOLD = ("cases.resident", "privacy.datasubjectrequest")
KEEP: dict[str, dict[str, str]] = {
    "cases.household": {
        "reference": "een nummer zonder betekenis; de vernietigingslijst noemt de casus ermee",
        "neighbourhood_code": "de wijk: het signaalrapport telt per wijk",
    },
    "cases.obstacle": {"neighbourhood_code": "de wijk: het signaalrapport telt per wijk"},
    "decisions.decisionstep": {
        "assigned_role": "een rolcode",
        "assigned_body": "een code van het besluitorgaan",
    },
    "partners.earlysignal": {
        "partner_signal_id": "het nummer bij de partner; die vernietigt volgens eigen termijn",
    },
    "plans.calculationsnapshot": {
        "result": "bedragen van de berekening; de omschrijvingen van regels worden gewist",
        "engine_version": "de versie van de rekenkern",
    },
    "privacy.destructionitem": {
        "case_reference": "het nummer van het huishouden, zonder betekenis",
        "rule_codes": "codes van bewaartermijnen",
    },
}
# Models that reach a case but hold nothing about its persons, each with the reason.
NOT_CASE_DATA = {
    "decisions.collectiveactivity": "collectieve aanpak van een wijk; geen persoon",
    "library.example": "een voorbeeld, geanonimiseerd en beoordeeld voor het werd gepubliceerd",
    "library.examplelifedomain": "codes van een voorbeeld",
    "library.exampleorganisation": "codes van een voorbeeld",
    "library.examplecostline": "kostenregel van een voorbeeld, ontdaan van persoonsgegevens",
    "signals.contribution": "systeemsignaal over een regel; geen persoon",
    "signals.signal": "systeemsignaal over een regel; geen persoon",
    "signals.signalevent": "geschiedenis van een systeemsignaal; geen persoon",
}


def _scrub(value, key: str):
    if isinstance(value, dict):
        return {k: ("" if k == key else _scrub(v, key)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, key) for v in value]
    return value


def _filter(path: str, case_id: int) -> dict:
    return {"pk": case_id} if not path else {path: case_id}


def destroy_case(case_id: int, *, household_done: bool) -> dict[str, int]:
    """Blank and delete what `BLANK`, `SNAPSHOT` and `DELETED` say for one case; with
    `household_done` (every other case of the household is destroyed) also delete the
    household's residents. Rows touched per model: counts only. Run inside a transaction."""
    counts: dict[str, int] = {}
    for label, rule in BLANK.items():
        model = apps.get_model(label)
        rows = model._default_manager.filter(**_filter(rule.to_case, case_id))
        values = {
            name: When_(When(**{name: ""}, then=Value("")), default=Value(DESTROYED_TEXT))
            for name in rule.text
        }
        values.update(dict.fromkeys(rule.empty, ""))
        values.update(dict.fromkeys(rule.null))
        values.update(rule.extra)
        if rule.stamp:
            values[rule.stamp] = When_(
                When(**{f"{rule.stamp}__isnull": True}, then=Value(timezone.now())),
                default=F(rule.stamp),
            )
        counts[label] = rows.update(**values) if values else rows.count()
    label, path, key = SNAPSHOT
    model = apps.get_model(label)
    n = 0
    for snapshot in model._default_manager.filter(**{path: case_id}):
        snapshot.result = _scrub(snapshot.result, key)
        snapshot.save(update_fields=["result"])
        n += 1
    counts[label] = n
    for label, path in DELETED.items():
        model = apps.get_model(label)
        counts[label], _ = model._default_manager.filter(**{path: case_id}).delete()
    if household_done:
        case_model = apps.get_model("cases", "case")
        household_id = case_model.objects.values_list("household_id", flat=True).get(pk=case_id)
        requests = apps.get_model("privacy", "datasubjectrequest")
        counts["privacy.datasubjectrequest"], _ = requests.objects.filter(
            resident__household_id=household_id
        ).delete()
        resident = apps.get_model("cases", "resident")
        _n, per_model = resident.objects.filter(household_id=household_id).delete()
        counts["cases.resident"] = per_model.get("cases.Resident", 0)
    return {k: v for k, v in counts.items() if v}
