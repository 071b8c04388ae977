"""Writes about accounts: two-factor devices and role changes. Each write leaves an audit event."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.core import audit_trail as audit  # filled by the audit app (it sits above)
from maatwerk.core.errors import ServiceError
from maatwerk.core.formatting import long_date

from .models import (
    ClaimMapping,
    Membership,
    OIDCIdentity,
    Organisation,
    ProviderSecondFactor,
    RoleGrantRequest,
    Team,
    User,
)
from .roles import FOUR_EYES_ROLES, TEAM_ROLES, Role
from .selectors import admin_organisation_id, has_confirmed_device, role_request_approver_orgs

# --- Two-factor devices -------------------------------------------------------------------


class SecondFactorError(PermissionDenied):
    """A device change that the session may not make (not verified, wrong password)."""


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created once so a reload keeps the same secret.

    Only for a user without a confirmed device, or in a session that already passed the second
    factor: otherwise a password alone would be enough to mint a new second factor.
    """
    if has_confirmed_device(user) and not user.is_verified():
        raise SecondFactorError("verify first")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(
    request, device: TOTPDevice, token: str, password: str | None = None
) -> bool:
    """Confirm a new device; it replaces every device the user had before.

    With a confirmed device already there, the session must have passed the second factor and
    the password must be given again (a walked-away-from session cannot swap the phone).
    Returns False on a wrong code; raises SecondFactorError when the change is not allowed.
    """
    user = request.user
    replaced = list(
        TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True)
    )
    if replaced:
        if not user.is_verified():
            raise SecondFactorError("verify first")
        if not password or not user.check_password(password):
            raise SecondFactorError("password")
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    audit.record(
        actor=user,
        action=audit.Action.CREATE,
        obj=device,
        reason="second factor replaced" if replaced else "second factor set up",
        changes={"confirmed": {"old": False, "new": True}, "replaced_devices": len(replaced)},
    )
    _mail_device_changed(user, replaced=bool(replaced))
    return True


# Wrong passwords a verified session may type on the replacement form before it is ended: the
# password check there must not become a way to guess the password from a hijacked session.
MAX_PASSWORD_FAILURES = 5
_FAILURES_KEY = "maatwerk_device_password_failures"


def wrong_password_at_device_change(request) -> bool:
    """Record a wrong password on the replacement form; True when the session must end."""
    failures = request.session.get(_FAILURES_KEY, 0) + 1
    request.session[_FAILURES_KEY] = failures
    audit.record(
        actor=request.user,
        action=audit.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=request.user.pk,
        reason="wrong password at second-factor replacement",
    )
    return failures >= MAX_PASSWORD_FAILURES


def _mail_device_changed(user, *, replaced: bool) -> None:
    """Tell the account holder, so a change they did not make does not go unnoticed.

    The mail holds no secret, code or link that could be used to undo or repeat the change.
    """
    if not user.email:
        return
    now = timezone.localtime()
    # In the interface's language with a Dutch date ("23 november 2026 om 14:05"), whatever
    # language the session reads in.
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Your two-factor login device was replaced")
            if replaced
            else _("Two-factor login is now on for your account")
        )
        when = _("%(date)s at %(time)s") % {
            "date": long_date(now.date()),
            "time": now.strftime("%H:%M"),
        }
        body = _(
            "An authenticator app was just linked to your Open Maatwerk account (%(when)s). "
            "Codes from any earlier app no longer work.\n\n"
            "Was this not you? Tell your functional administrator and the privacy officer at once."
        ) % {"when": when}
    recipient = [user.email]
    transaction.on_commit(lambda: send_mail(subject, body, None, recipient, fail_silently=True))


def verify_second_factor(request, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            audit.record(
                actor=request.user, action=audit.Action.LOGIN, obj=device, reason="second factor"
            )
            return True
    return False


# --- Role changes ---------------------------------------------------------------------------


class RoleChangeRefused(ServiceError):
    """A role change the rules do not allow; the message says why, in the interface language."""

    app = "accounts"
    default_code = "role_change_refused"


def needs_four_eyes(role: str) -> bool:
    return role in FOUR_EYES_ROLES


def _may_manage(actor: User, organisation_id: int | None) -> bool:
    """Platform operators manage every organisation; an administrator only their own."""
    return actor.is_superuser or (
        organisation_id is not None and admin_organisation_id(actor) == organisation_id
    )


def _grant_changes(user, organisation, role, team) -> dict:
    # Ids and the role code only: a name would be personal data in the audit log.
    return {
        "user": user.pk,
        "organisation": organisation.pk,
        "team": team.pk if team else None,
        "role": str(role),
    }


def _check_role_and_team(actor: User, *, organisation: Organisation, role: str, team=None):
    """The rules every role change shares: the actor manages this organisation, the role
    exists, and a team is given exactly when the role works in one, of the same organisation."""
    if role not in Role.values:
        raise RoleChangeRefused(_("Choose a role from the list."))
    if not _may_manage(actor, organisation.pk):
        raise RoleChangeRefused(_("You can only give roles in your own organisation."))
    if role in TEAM_ROLES:
        if team is None:
            raise RoleChangeRefused(_("This role works in a team: choose the team."))
    elif team is not None:
        raise RoleChangeRefused(
            _("This role applies to the whole organisation: leave the team empty.")
        )
    if team is not None and team.organisation_id != organisation.pk:
        raise RoleChangeRefused(_("The team does not belong to this organisation."))


def check_grant(actor: User, *, user: User, organisation: Organisation, role: str, team=None):
    """Raise RoleChangeRefused when `actor` may neither grant nor request this role."""
    if role not in Role.values:
        raise RoleChangeRefused(_("Choose a role from the list."))
    if user.pk is not None and user.pk == actor.pk:
        raise RoleChangeRefused(
            _(
                "Nobody can give themselves a role. Ask another functional administrator to "
                "request it for you."
            )
        )
    _check_role_and_team(actor, organisation=organisation, role=role, team=team)
    if user.pk is not None:
        if Membership.objects.filter(
            user=user, organisation=organisation, team=team, role=role
        ).exists():
            raise RoleChangeRefused(_("This user already has this role."))
        if RoleGrantRequest.objects.filter(
            user=user,
            organisation=organisation,
            team=team,
            role=role,
            status=RoleGrantRequest.Status.REQUESTED,
        ).exists():
            raise RoleChangeRefused(_("This role has already been requested for this user."))


@transaction.atomic
def grant_role(
    actor: User, *, user: User, organisation: Organisation, role: str, team: Team | None = None
) -> Membership:
    """Give a role at once: roles without personal data, or by a platform operator (who sets up
    an organisation's first director and privacy officer, so there is someone to approve)."""
    check_grant(actor, user=user, organisation=organisation, role=role, team=team)
    if needs_four_eyes(role) and not actor.is_superuser:
        raise RoleChangeRefused(
            _("This role sees personal data: a director or privacy officer must approve it.")
        )
    membership = Membership.objects.create(
        user=user, organisation=organisation, team=team, role=role
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=membership,
        reason="role granted",
        changes=_grant_changes(user, organisation, role, team),
    )
    return membership


@transaction.atomic
def request_role(
    actor: User,
    *,
    user: User,
    organisation: Organisation,
    role: str,
    team: Team | None = None,
    reason: str = "",
) -> RoleGrantRequest:
    """Ask a second person (director or privacy officer) to approve a role with personal data."""
    check_grant(actor, user=user, organisation=organisation, role=role, team=team)
    grant_request = RoleGrantRequest.objects.create(
        requested_by=actor,
        user=user,
        organisation=organisation,
        team=team,
        role=role,
        reason=reason,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=grant_request,
        reason="role requested",
        changes=_grant_changes(user, organisation, role, team),
    )
    return grant_request


def grant_or_request(
    actor: User, *, user: User, organisation: Organisation, role: str, team: Team | None = None
) -> Membership | RoleGrantRequest:
    """What the administrator's "add role" does: grant directly, or ask for approval."""
    if needs_four_eyes(role) and not actor.is_superuser:
        return request_role(actor, user=user, organisation=organisation, role=role, team=team)
    return grant_role(actor, user=user, organisation=organisation, role=role, team=team)


@transaction.atomic
def revoke_role(actor: User, membership: Membership) -> None:
    if not _may_manage(actor, membership.organisation_id):
        raise RoleChangeRefused(_("You can only change roles in your own organisation."))
    changes = _grant_changes(
        membership.user, membership.organisation, membership.role, membership.team
    )
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=membership,
        reason="role revoked",
        changes=changes,
    )
    membership.delete()


def _check_second_person(actor: User, organisation_id: int | None, parties) -> None:
    """The four-eyes rule for a role that sees personal data: a director or privacy officer of
    the organisation decides, and never one of the parties (who asked, who would get it)."""
    if organisation_id is None or organisation_id not in role_request_approver_orgs(actor):
        raise RoleChangeRefused(_("This request does not exist or is not yours to decide."))
    if actor.pk in parties:
        raise RoleChangeRefused(
            _("You cannot decide a request you made or that gives you a role: a colleague does.")
        )


def _open_request_for_decision(actor: User, request_id: int) -> RoleGrantRequest:
    grant_request = RoleGrantRequest.objects.select_for_update().filter(pk=request_id).first()
    _check_second_person(
        actor,
        grant_request and grant_request.organisation_id,
        grant_request and (grant_request.requested_by_id, grant_request.user_id),
    )
    if grant_request.status != RoleGrantRequest.Status.REQUESTED:
        raise RoleChangeRefused(_("This request has already been decided."))
    return grant_request


def _decide(grant_request: RoleGrantRequest, actor: User, status: str, reason: str) -> dict:
    old = grant_request.status
    grant_request.status = status
    grant_request.decided_by = actor
    grant_request.decided_at = timezone.now()
    grant_request.reason = reason or grant_request.reason
    grant_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return {"status": {"old": old, "new": status}, "decided_by": actor.pk}


@transaction.atomic
def approve_role_request(actor: User, request_id: int, reason: str = "") -> Membership:
    """The second pair of eyes says yes: the role is given."""
    grant_request = _open_request_for_decision(actor, request_id)
    membership, _created = Membership.objects.get_or_create(
        user=grant_request.user,
        organisation=grant_request.organisation,
        team=grant_request.team,
        role=grant_request.role,
    )
    changes = _decide(grant_request, actor, RoleGrantRequest.Status.APPROVED, reason)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=grant_request,
        reason="role request approved",
        changes=changes,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=membership,
        reason="role granted on approval",
        changes={
            **_grant_changes(
                grant_request.user,
                grant_request.organisation,
                grant_request.role,
                grant_request.team,
            ),
            "request": grant_request.pk,
            "requested_by": grant_request.requested_by_id,
        },
    )
    return membership


@transaction.atomic
def refuse_role_request(actor: User, request_id: int, reason: str) -> RoleGrantRequest:
    """The second pair of eyes says no, and says why (the administrator reads the reason)."""
    if not reason.strip():
        raise RoleChangeRefused(_("Say why you refuse, so the administrator knows what to do."))
    grant_request = _open_request_for_decision(actor, request_id)
    changes = _decide(grant_request, actor, RoleGrantRequest.Status.REFUSED, reason.strip())
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=grant_request,
        reason="role request refused",
        changes=changes,
    )
    return grant_request


# --- Claim mappings and the login through the identity provider (docs/oidc.md) --------------


def _mapping_changes(mapping: ClaimMapping) -> dict:
    # The claim and its value name a group at the provider, not a person.
    return {
        "organisation": mapping.organisation_id,
        "claim": mapping.claim,
        "value": mapping.value,
        "team": mapping.team_id,
        "role": str(mapping.role),
        "status": mapping.status,
    }


def check_claim_mapping(
    actor: User, *, organisation: Organisation, claim: str, value: str, role: str, team=None
) -> None:
    """Raise RoleChangeRefused when `actor` may not add this mapping (the admin form asks too)."""
    _check_role_and_team(actor, organisation=organisation, role=role, team=team)
    if not claim.strip() or not value.strip():
        raise RoleChangeRefused(_("Give both the claim and the value it must hold."))
    if ClaimMapping.objects.filter(
        organisation=organisation,
        claim=claim.strip(),
        value=value.strip(),
        role=role,
        team=team,
        status__in=[ClaimMapping.Status.REQUESTED, ClaimMapping.Status.ACTIVE],
    ).exists():
        raise RoleChangeRefused(_("This claim mapping exists already."))


@transaction.atomic
def add_claim_mapping(
    actor: User,
    *,
    organisation: Organisation,
    claim: str,
    value: str,
    role: str,
    team: Team | None = None,
) -> ClaimMapping:
    """The administrator's new rule. A rule that gives a role with personal data waits for a
    director or privacy officer, as a role given by hand does (needs_four_eyes)."""
    claim, value = claim.strip(), value.strip()
    check_claim_mapping(
        actor, organisation=organisation, claim=claim, value=value, role=role, team=team
    )
    waits = needs_four_eyes(role) and not actor.is_superuser
    mapping = ClaimMapping.objects.create(
        organisation=organisation,
        claim=claim,
        value=value,
        role=role,
        team=team,
        requested_by=actor,
        status=ClaimMapping.Status.REQUESTED if waits else ClaimMapping.Status.ACTIVE,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=mapping,
        reason="claim mapping requested" if waits else "claim mapping added",
        changes=_mapping_changes(mapping),
    )
    return mapping


def _open_mapping_for_decision(actor: User, mapping_id: int) -> ClaimMapping:
    mapping = ClaimMapping.objects.select_for_update().filter(pk=mapping_id).first()
    _check_second_person(
        actor, mapping and mapping.organisation_id, mapping and (mapping.requested_by_id,)
    )
    if mapping.status != ClaimMapping.Status.REQUESTED:
        raise RoleChangeRefused(_("This request has already been decided."))
    return mapping


def _decide_mapping(actor: User, mapping: ClaimMapping, status: str, reason: str) -> None:
    old = mapping.status
    mapping.status = status
    mapping.decided_by = actor
    mapping.decided_at = timezone.now()
    mapping.reason = reason or mapping.reason
    mapping.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=mapping,
        reason=f"claim mapping {status}",
        changes={"status": {"old": old, "new": status}, "requested_by": mapping.requested_by_id},
    )


@transaction.atomic
def approve_claim_mapping(actor: User, mapping_id: int, reason: str = "") -> ClaimMapping:
    """The second pair of eyes says yes: from the next login on, the claim gives the role."""
    mapping = _open_mapping_for_decision(actor, mapping_id)
    _decide_mapping(actor, mapping, ClaimMapping.Status.ACTIVE, reason)
    return mapping


@transaction.atomic
def refuse_claim_mapping(actor: User, mapping_id: int, reason: str) -> ClaimMapping:
    if not reason.strip():
        raise RoleChangeRefused(_("Say why you refuse, so the administrator knows what to do."))
    mapping = _open_mapping_for_decision(actor, mapping_id)
    _decide_mapping(actor, mapping, ClaimMapping.Status.REFUSED, reason.strip())
    return mapping


@transaction.atomic
def retire_claim_mapping(actor: User, mapping: ClaimMapping) -> None:
    """Stop a rule, and take back at once the roles it gave (no need to wait for a login)."""
    if not _may_manage(actor, mapping.organisation_id):
        raise RoleChangeRefused(_("You can only change roles in your own organisation."))
    for membership in mapping.memberships.select_related("user", "organisation", "team"):
        revoke_role(actor, membership)
    old = mapping.status
    mapping.status = ClaimMapping.Status.RETIRED
    mapping.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=mapping,
        reason="claim mapping retired",
        changes={"status": {"old": old, "new": mapping.status}},
    )


def claim_holds(claims: dict, claim: str, value: str) -> bool:
    """Whether the claim holds the value: equal to it, or, for a list, containing it.

    Exact and case-sensitive: a group "Wijkteam-Noord" is not "wijkteam-noord-extern".
    """
    held = claims.get(claim)
    if isinstance(held, (list, tuple)):
        return any(isinstance(item, (str, int)) and str(item) == value for item in held)
    if isinstance(held, bool) or held is None or isinstance(held, dict):
        return False
    return str(held) == value


def second_factor_at_provider(claims: dict) -> bool:
    """The provider's word that it checked a second factor: an accepted `acr`, or an `amr`
    holding an accepted method (settings MAATWERK_OIDC_MFA_ACR / _AMR)."""
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in settings.MAATWERK_OIDC_MFA_ACR:
        return True
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list):
        return False
    return any(isinstance(m, str) and m in settings.MAATWERK_OIDC_MFA_AMR for m in amr)


@transaction.atomic
def sync_claim_roles(user: User, organisation: Organisation, claims: dict) -> list[Membership]:
    """Give the roles the active mappings derive from the claims, and take back the roles an
    earlier login took from a claim that is gone. Each change is audited with its mapping.

    Roles given by hand are left alone. Returns the user's roles taken from claims.
    """
    wanted: dict[tuple[str, int | None], ClaimMapping] = {}
    for mapping in ClaimMapping.objects.filter(
        organisation=organisation, status=ClaimMapping.Status.ACTIVE
    ).order_by("pk"):
        if claim_holds(claims, mapping.claim, mapping.value):
            wanted.setdefault((mapping.role, mapping.team_id), mapping)
    held = {
        (m.role, m.team_id): m
        for m in Membership.objects.filter(user=user, organisation=organisation)
    }
    kept = []
    for key, membership in held.items():
        if membership.claim_mapping_id is None:
            continue
        if key in wanted:
            kept.append(membership)
            continue
        audit.record(
            actor=user,
            action=audit.Action.DELETE,
            obj=membership,
            reason="role from claim removed: claim no longer present",
            changes={
                **_grant_changes(user, organisation, membership.role, membership.team),
                "claim_mapping": membership.claim_mapping_id,
            },
        )
        membership.delete()
    for (role, team_id), mapping in wanted.items():
        if (role, team_id) in held:
            continue
        membership = Membership.objects.create(
            user=user,
            organisation=organisation,
            team_id=team_id,
            role=role,
            claim_mapping=mapping,
        )
        audit.record(
            actor=user,
            action=audit.Action.CREATE,
            obj=membership,
            reason="role taken from claim",
            changes={
                **_grant_changes(user, organisation, role, mapping.team),
                "claim_mapping": mapping.pk,
                "claim": mapping.claim,
                "value": mapping.value,
                "approved_by": mapping.decided_by_id,
            },
        )
        kept.append(membership)
    return kept


@transaction.atomic
def user_from_provider(issuer: str, claims: dict, organisation: Organisation) -> User | None:
    """The account of the person the provider vouches for, made on their first login.

    Matched on issuer and subject only. A first login that no active mapping gives any role
    makes no account: the organisation did not say this person works with the application.
    """
    subject = claims["sub"]
    identity = (
        OIDCIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is None:
        if not any(
            claim_holds(claims, m.claim, m.value)
            for m in ClaimMapping.objects.filter(
                organisation=organisation, status=ClaimMapping.Status.ACTIVE
            )
        ):
            return None
        user = User(
            username=_free_username(claims),
            organisation=organisation,
        )
        user.set_unusable_password()  # this account logs in through the provider only
        _copy_profile(user, claims)
        user.save()
        OIDCIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        audit.record(
            actor=user,
            action=audit.Action.CREATE,
            obj=user,
            reason="account made at first login through the identity provider",
            changes={"issuer": issuer},
        )
    else:
        user = identity.user
        if not user.is_active:
            return None
        _copy_profile(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
    sync_claim_roles(user, organisation, claims)
    return user


def _copy_profile(user: User, claims: dict) -> None:
    for field, claim, limit in [
        ("first_name", "given_name", 150),
        ("last_name", "family_name", 150),
        ("email", "email", 254),
    ]:
        value = claims.get(claim)
        if isinstance(value, str):
            setattr(user, field, value[:limit])


def _free_username(claims: dict) -> str:
    base = claims.get("preferred_username") or claims.get("email") or claims["sub"]
    base = str(base)[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def trust_provider_second_factor(request) -> None:
    """Mark the session as passed the second factor, on the provider's word (acr/amr)."""
    device, _created = ProviderSecondFactor.objects.get_or_create(
        user=request.user, defaults={"name": "identity provider", "confirmed": True}
    )
    otp_login(request, device)
    audit.record(
        actor=request.user,
        action=audit.Action.LOGIN,
        obj=device,
        reason="second factor at the identity provider",
    )
