from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Check both and try again. "
            "After several failed attempts your account is locked for half an hour."
        ),
        "inactive": _("This account is not active. Ask your functional administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean_username(self):
        # AuthenticationForm sets max_length after the field is built, so it is not enforced;
        # an over-long name would reach the lock-out table (varchar 255) and fail there.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return username


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": _("Enter the six-digit code."),
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("The code has six digits, nothing else."))
        return token


class ReplaceDeviceForm(TokenForm):
    """Replacing a second factor: the code from the new app and the password once more."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm this change.")},
    )

    field_order = ["password", "token"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This password is not correct. Nothing was changed."), code="wrong_password"
            )
        return password


class RoleRequestDecisionForm(forms.Form):
    """A director's or privacy officer's answer to one four-eyes role request."""

    APPROVE, REFUSE = "approve", "refuse"

    ROLE, MAPPING = "role", "mapping"

    request_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    # A role for one person, or a claim mapping that gives a role to whoever holds the claim.
    kind = forms.ChoiceField(
        choices=[(ROLE, ROLE), (MAPPING, MAPPING)], widget=forms.HiddenInput, required=False
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        error_messages={"required": _("Choose approve or refuse.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you refuse: the administrator reads it."),
        error_messages={"max_length": _("Keep the reason under 1,000 characters.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REFUSE and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", _("Say why you refuse, so the administrator knows what to do.")
            )
        return cleaned
