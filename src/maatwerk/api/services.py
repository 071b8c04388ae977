"""Writes on API clients and their tokens: only the functional administrator of the client's
organisation (or a platform operator), each change an audit event. The secret of a token is
returned once by `issue_token` and never stored, logged or audited."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.accounts.models import Membership, User
from maatwerk.accounts.roles import Role
from maatwerk.audit import services as audit
from maatwerk.core.errors import ServiceError

from .models import EXCLUSIVE_SCOPES, ApiClient, ApiToken, Scope


class ApiError(ServiceError):
    """A rule about API clients refused the action; codes `api.<reason>`."""

    app = "api"


TOKEN_PREFIX = "mwk_"  # noqa: S105  (a marker that says what the string is, not a secret)
DEFAULT_VALID_DAYS = 90
MAX_VALID_DAYS = 366
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_manage(actor: User, organisation_id: int) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return Membership.objects.filter(
        user=actor, organisation_id=organisation_id, role=Role.ADMIN
    ).exists()


def _require(actor: User, organisation_id: int) -> None:
    if not may_manage(actor, organisation_id):
        raise PermissionDenied(
            _("Only the functional administrator of the organisation may do this.")
        )


def _clean_scopes(scopes) -> list[str]:
    scopes = sorted(set(scopes or ()))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scope)s") % {"scope": unknown[0]}})
    if len(scopes) > 1 and EXCLUSIVE_SCOPES & set(scopes):
        raise ValidationError(
            {"scopes": _("Sending early signals is a partner's only scope: choose it alone.")}
        )
    return scopes


@transaction.atomic
def create_client(*, actor: User, organisation, name: str, scopes=(), is_active=True) -> ApiClient:
    _require(actor, organisation.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the API client a name.")})
    client = ApiClient.objects.create(
        organisation=organisation, name=name, scopes=_clean_scopes(scopes), is_active=is_active
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=client,
        changes={"scopes": client.scopes, "is_active": client.is_active},
    )
    return client


@transaction.atomic
def update_client(*, actor: User, client: ApiClient, **values) -> ApiClient:
    _require(actor, client.organisation_id)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if "scopes" in values:
        values["scopes"] = _clean_scopes(values["scopes"])
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise ValidationError({"name": _("Give the API client a name.")})
    allowed = {k: v for k, v in values.items() if k in {"name", "scopes", "is_active"}}
    changes = audit.diff(client, allowed)
    for field, value in allowed.items():
        setattr(client, field, value)
    client.save()
    if changes:
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=client, changes=changes)
    return client


@transaction.atomic
def issue_token(
    *, actor: User, client: ApiClient, valid_days: int = DEFAULT_VALID_DAYS
) -> tuple[ApiToken, str]:
    """A new token for the client; returns it with its secret, which is shown once."""
    _require(actor, client.organisation_id)
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValidationError(
            {"valid_days": _("Between 1 and %(max)d days.") % {"max": MAX_VALID_DAYS}}
        )
    if not client.is_active:
        raise ApiError(_("This API client is inactive."), code="client_inactive")
    while True:
        prefix = secrets.token_hex(6)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = f"{TOKEN_PREFIX}{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        client=client,
        prefix=prefix,
        digest=digest(secret),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=token,
        changes={"client": client.pk, "prefix": prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("client").get(pk=token.pk)
    _require(actor, token.client.organisation_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=token,
            changes={"revoked_at": {"old": None, "new": token.revoked_at.isoformat()}},
        )
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The valid token with this secret, or None (unknown, wrong, expired, revoked, inactive)."""
    if not secret.startswith(TOKEN_PREFIX) or "." not in secret or len(secret) > 200:
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split(".", 1)[0]
    token = ApiToken.objects.select_related("client__organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest(secret)):
        return None
    if not token.is_valid:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
