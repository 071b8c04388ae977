"""Exports as JSON with a schema and a checksum: the one pattern of every file that leaves the
organisation (the signal report's national export, the DDAS monthly export of early signals).

An export is an envelope `{"payload": …, "sha256": …}`: the SHA-256 of the payload's canonical
serialisation (`canonical`: sorted keys, no spaces, UTF-8), valid against the export's JSON
Schema (draft 2020-12, with format checks); a file written to disk gets a `<file>.sha256`
beside it in the format of `sha256sum` (`sidecar`).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import jsonschema


class InvalidExport(ValueError):
    """The export does not match its schema; the message names where and why."""


def canonical(payload: dict) -> bytes:
    """The bytes the checksum is taken of: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def envelope(payload: dict) -> dict:
    return {"payload": payload, "sha256": checksum(canonical(payload))}


def to_json(payload: dict) -> bytes:
    """The envelope, readable (indented); its checksum covers the canonical payload."""
    return (json.dumps(envelope(payload), indent=2, ensure_ascii=False) + "\n").encode()


def sidecar(data: bytes, filename: str) -> str:
    """The `<file>.sha256` line, as `sha256sum` writes it (`sha256sum -c` checks it)."""
    return f"{checksum(data)}  {filename}\n"


def load_schema(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@cache
def validator(path: Path) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        load_schema(path), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def first_error(instance, path: Path) -> str | None:
    """Where and why `instance` breaks the schema at `path` (the most relevant error), or None."""
    error = jsonschema.exceptions.best_match(validator(Path(path)).iter_errors(instance))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(the file)"
    return f"does not match the schema at {where}: {error.message}"


def validate(instance, path: Path) -> None:
    """Raise InvalidExport when `instance` (an envelope) breaks the schema at `path`."""
    problem = first_error(instance, path)
    if problem is not None:
        raise InvalidExport(problem)
