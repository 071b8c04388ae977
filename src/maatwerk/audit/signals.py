from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    services.record(actor=user, action=services.Action.LOGIN, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        services.record(actor=user, action=services.Action.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is not stored: people type passwords into that field.
    services.record(actor=None, action=services.Action.LOGIN_FAILED, object_type="accounts.user")
