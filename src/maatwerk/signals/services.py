"""Writes of the learning loop's signals.

`signals` sits above cases and legal (DESIGN.md, Layers): it reads what the field reports and
feeds it back into the reference data, which never imports casework itself.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.accounts.models import User
from maatwerk.audit import services as audit
from maatwerk.cases import selectors as case_selectors
from maatwerk.cases.models import Obstacle
from maatwerk.legal import services as legal_services


@transaction.atomic
def promote_new_rule(
    *, actor: User, obstacle: Obstacle, code: str, name_nl: str, applied_by: str
) -> Obstacle:
    """An administrator turns an obstacle's newly described rule into a catalogue rule.

    The rule enters the regelbank (versioned and audited there) with the worker's description,
    and the obstacle then points at it, so later cases can choose it and signals count it.
    """
    obstacle = (
        case_selectors.new_rule_obstacles(actor).select_for_update(of=("self",)).get(pk=obstacle.pk)
    )
    rule = legal_services.add_blocking_rule(
        actor,
        code=code,
        name_nl=name_nl,
        applied_by=applied_by,
        description=obstacle.description_new_rule,
        note=_("Promoted from a newly described obstacle."),
    )
    obstacle.blocking_rule = rule
    obstacle.description_new_rule = ""
    obstacle.full_clean()
    obstacle.save(update_fields=["blocking_rule", "description_new_rule"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=obstacle,
        reason="promoted into the regelbank",
        changes={
            "blocking_rule": {"old": None, "new": rule.pk},
            "description_new_rule": {"old": audit.MASKED, "new": ""},
        },
    )
    return obstacle
