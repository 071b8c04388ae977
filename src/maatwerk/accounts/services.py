"""Writes about accounts: two-factor devices. Each write leaves an audit event."""

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.audit import services as audit


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created once so a reload keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(request, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    audit.record(
        actor=request.user,
        action=audit.Action.CREATE,
        obj=device,
        changes={"confirmed": {"old": False, "new": True}},
    )
    return True


def verify_second_factor(request, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            audit.record(
                actor=request.user, action=audit.Action.LOGIN, obj=device, reason="second factor"
            )
            return True
    return False
