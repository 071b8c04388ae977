import base64
from io import BytesIO
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from maatwerk.core.errors import to_form

from . import selectors, services
from .decorators import role_required
from .forms import LoginForm, ReplaceDeviceForm, RoleRequestDecisionForm, TokenForm
from .models import ProviderSecondFactor
from .roles import ROLE_APPROVER_ROLES
from .selectors import has_confirmed_device, memberships

# After a wrong code the device refuses codes for a few seconds (brute-force throttling), so the
# message mentions waiting too: otherwise a correct code typed at once looks wrong.
WRONG_CODE = gettext_lazy(
    "This code is not correct, or it came too soon after a wrong one. Check the time on your "
    "phone, wait a few seconds and try again."
)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.MAATWERK_LOCAL_LOGIN:
            # The form is not shown; a hand-made post gets no further (the backend refuses too).
            return HttpResponseForbidden(_("Log in through your organisation."))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": settings.MAATWERK_OIDC_ENABLED,
            "local_login": settings.MAATWERK_LOCAL_LOGIN,
        }


def _next_url(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
@require_GET
def account(request):
    return redirect("accounts:security")


@login_required
def security(request):
    return render(
        request,
        "accounts/security.html",
        {
            "memberships": memberships(request.user),
            "has_device": has_confirmed_device(request.user),
            "verified": request.user.is_verified(),
            "provider_factor": isinstance(
                getattr(request.user, "otp_device", None), ProviderSecondFactor
            ),
            "approver": bool(selectors.role_request_approver_orgs(request.user)),
        },
    )


@login_required
def otp_setup(request):
    replacing = has_confirmed_device(request.user)
    if replacing and not request.user.is_verified():
        # Only the existing second factor may open the way to a new one.
        return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
    device = services.pending_totp_device(request.user)
    data = request.POST or None
    form = ReplaceDeviceForm(data, user=request.user) if replacing else TokenForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.confirm_totp_device(
                request, device, form.cleaned_data["token"], form.cleaned_data.get("password")
            )
        except services.SecondFactorError:
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        if confirmed:
            messages.success(
                request,
                _("Your new authenticator app is linked; the old one no longer works.")
                if replacing
                else _("Two-factor login is now on for your account."),
            )
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    elif (
        request.method == "POST"
        and form.has_error("password", "wrong_password")
        and services.wrong_password_at_device_change(request)
    ):
        logout(request)
        messages.error(
            request,
            _("Too many wrong passwords: you have been logged out. Log in again to continue."),
        )
        return redirect("login")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    secret = base64.b32encode(device.bin_key).decode()
    # In groups of four, as authenticator apps accept it: easier to type, and it wraps at 320 px.
    secret = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "secret": secret,
            "next": _next_url(request),
            "replacing": replacing,
        },
    )


@login_required
def otp_verify(request):
    if not has_confirmed_device(request.user):
        # Nothing to check a code against: set up the app first, then go on where they were.
        return redirect(f"{reverse('accounts:otp_setup')}?next={quote(_next_url(request))}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_second_factor(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    next_url = _next_url(request)
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": next_url,
            "for_new_device": next_url == reverse("accounts:otp_setup"),
        },
    )


@role_required(*ROLE_APPROVER_ROLES)
def role_requests(request):
    """Four-eyes role requests of the approver's organisation: approve or refuse each."""
    open_requests = list(selectors.open_role_requests(request.user))
    bound = None
    if request.method == "POST":
        bound = RoleRequestDecisionForm(request.POST)
        if bound.is_valid():
            data = bound.cleaned_data
            mapping = data["kind"] == RoleRequestDecisionForm.MAPPING
            try:
                if data["decision"] == RoleRequestDecisionForm.APPROVE:
                    approve = (
                        services.approve_claim_mapping if mapping else services.approve_role_request
                    )
                    approve(request.user, data["request_id"], data["reason"])
                    messages.success(
                        request,
                        _("Approved: the claim gives the role from the next login on.")
                        if mapping
                        else _("Approved: the role is given."),
                    )
                else:
                    refuse = (
                        services.refuse_claim_mapping if mapping else services.refuse_role_request
                    )
                    refuse(request.user, data["request_id"], data["reason"])
                    messages.success(request, _("Refused: the role is not given."))
                return redirect("accounts:role_requests")
            except services.RoleChangeRefused as error:
                to_form(bound, error)
    rows = _decision_rows(bound, open_requests, RoleRequestDecisionForm.ROLE, "r")
    mapping_rows = _decision_rows(
        bound, selectors.open_claim_mappings(request.user), RoleRequestDecisionForm.MAPPING, "m"
    )
    return render(
        request,
        "accounts/role_requests.html",
        {
            "rows": rows,
            "mapping_rows": mapping_rows,
            "stray_form": bound
            if bound is not None and not any(r["form"] is bound for r in rows + mapping_rows)
            else None,
            "decided": selectors.decided_role_requests(request.user),
        },
    )


def _decision_rows(bound, items, kind: str, prefix: str) -> list[dict]:
    rows = []
    for item in items:
        mine = (
            bound is not None
            and bound.data.get("request_id") == str(item.pk)
            and (bound.data.get("kind") or RoleRequestDecisionForm.ROLE) == kind
        )
        form = (
            bound
            if mine
            else RoleRequestDecisionForm(initial={"request_id": item.pk, "kind": kind})
        )
        # Each request has its own form on the page: ids must stay unique.
        form.auto_id = f"id_{prefix}{item.pk}_%s"
        rows.append({"request": item, "form": form})
    return rows
