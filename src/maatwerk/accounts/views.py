import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .forms import LoginForm, TokenForm
from .selectors import memberships

# After a wrong code the device refuses codes for a few seconds (brute-force throttling), so the
# message mentions waiting too: otherwise a correct code typed at once looks wrong.
WRONG_CODE = gettext_lazy(
    "This code is not correct, or it came too soon after a wrong one. Check the time on your "
    "phone, wait a few seconds and try again."
)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def _next_url(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def security(request):
    return render(
        request,
        "accounts/security.html",
        {
            "memberships": memberships(request.user),
            "has_device": request.user.totpdevice_set.filter(confirmed=True).exists(),
            "verified": request.user.is_verified(),
        },
    )


@login_required
def otp_setup(request):
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(request, device, form.cleaned_data["token"]):
            messages.success(request, _("Two-factor login is now on for your account."))
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": buffer.getvalue().decode(),
            "secret": secret,
            "next": _next_url(request),
        },
    )


@login_required
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_second_factor(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})
