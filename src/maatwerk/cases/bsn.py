"""The burgerservicenummer (BSN): validation, encryption, lookup hash and masking.

A BSN is never stored in plain text. The database keeps
- the AES-GCM ciphertext (random nonce, so equal numbers give different ciphertexts), and
- a keyed HMAC-SHA256 of the number, indexed, to find a resident by BSN.

Both keys are derived from settings.MAATWERK_BSN_KEY (environment; production refuses to start
without its own), each with its own label so the lookup key cannot decrypt anything.
Plain functions, no Django models: unit- and property-tested in tests/cases/test_bsn.py.
"""

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maatwerk.core import personal_data

_NONCE_BYTES = 12
_VERSION = b"v1"


# The pure checks live in core (the personal-data check of free texts uses them too).
normalise = personal_data.normalise_number
is_valid = personal_data.passes_eleven_test


def validate(value: str) -> str:
    """The normalised BSN, or a ValidationError that never repeats the number."""
    bsn = normalise(value)
    if len(bsn) != 9 or not bsn.isdigit():
        raise ValidationError(_("A BSN has exactly 9 digits."), code="bsn_length")
    if not is_valid(bsn):
        raise ValidationError(
            _("This is not a valid BSN (it fails the eleven-test). Check the number."),
            code="bsn_invalid",
        )
    return bsn


def _key(label: bytes, secret: str | None = None) -> bytes:
    secret = settings.MAATWERK_BSN_KEY if secret is None else secret
    if not secret:
        raise RuntimeError("MAATWERK_BSN_KEY is not configured")
    return hmac.new(secret.encode(), b"maatwerk-bsn-" + label, hashlib.sha256).digest()


def encrypt(bsn: str, *, secret: str | None = None) -> str:
    """Ciphertext as ASCII text: version, nonce and AES-GCM output, base64."""
    bsn = validate(bsn)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(b"encryption", secret)).encrypt(nonce, bsn.encode(), _VERSION)
    return _VERSION.decode() + ":" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, secret: str | None = None) -> str:
    version, _sep, payload = token.partition(":")
    if version.encode() != _VERSION or not payload:
        raise ValueError("unknown BSN ciphertext format")
    raw = base64.urlsafe_b64decode(payload.encode())
    try:
        plain = AESGCM(_key(b"encryption", secret)).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _VERSION
        )
    except InvalidTag:
        raise ValueError("BSN ciphertext does not match the key") from None
    return plain.decode()


def lookup_hash(bsn: str, *, secret: str | None = None) -> str:
    """Keyed hash (hex) of the normalised number, for "find resident by BSN"."""
    return hmac.new(_key(b"lookup", secret), normalise(bsn).encode(), hashlib.sha256).hexdigest()


def mask(bsn: str, visible: int = 3) -> str:
    """`******789`: only the last `visible` digits."""
    bsn = normalise(bsn)
    if not bsn:
        return ""
    return "*" * (len(bsn) - visible) + bsn[-visible:]
