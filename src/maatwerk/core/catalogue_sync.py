"""Planning an update of a shared catalogue from its versioned data files (data as code).

A deployment's catalogue starts from the files in the project and is then changed locally: a
functional administrator rewords a provision, a team adds its own price. A new release of the
files must reach every deployment without undoing those local choices. This module decides,
per row, what a load does; the apps (legal, costs) read their rows and carry the plan out.

Pure: plain dicts in, a list of actions out; no database.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    CREATE = "create"  # in the files, not yet in the catalogue
    UPDATE = "update"  # the files changed a row nobody changed locally
    KEEP_LOCAL = "keep_local"  # the files changed a row a person changed: the local wording stays
    UNCHANGED = "unchanged"
    NOT_IN_FILES = "not_in_files"  # a row of this deployment's own, or one the files dropped


@dataclass(frozen=True)
class Current:
    """A row as the catalogue holds it now."""

    state: Mapping[str, object]
    # True when the row's latest change came from the files (a load or the first seed), False
    # when a person changed it since.
    from_files: bool


@dataclass(frozen=True)
class Action:
    kind: Kind
    code: str
    state: Mapping[str, object] = field(default_factory=dict)  # the files' state
    changes: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # field: old/new


def differences(old: Mapping[str, object], new: Mapping[str, object]) -> dict:
    """Old and new value per field of `new` whose value differs from `old`."""
    return {
        name: {"old": old.get(name), "new": value}
        for name, value in new.items()
        if old.get(name) != value
    }


def plan(files: Mapping[str, Mapping[str, object]], current: Mapping[str, Current]) -> list[Action]:
    """One action per code in either mapping, ordered by code (files first, then the rest).

    Only fields the files name are compared, so a column a deployment adds never counts as a
    local change, and a field the files drop is left alone.
    """
    actions = []
    for code in sorted(files):
        wanted = files[code]
        now = current.get(code)
        if now is None:
            actions.append(Action(Kind.CREATE, code, wanted, differences({}, wanted)))
            continue
        changes = differences(now.state, wanted)
        if not changes:
            actions.append(Action(Kind.UNCHANGED, code, wanted))
        elif now.from_files:
            actions.append(Action(Kind.UPDATE, code, wanted, changes))
        else:
            actions.append(Action(Kind.KEEP_LOCAL, code, wanted, changes))
    actions.extend(Action(Kind.NOT_IN_FILES, code) for code in sorted(set(current) - set(files)))
    return actions


def summary(actions: list[Action]) -> dict[str, int]:
    """Count per kind, every kind present (a report that reads the same every time)."""
    counts = {kind.value: 0 for kind in Kind}
    for action in actions:
        counts[action.kind.value] += 1
    return counts
