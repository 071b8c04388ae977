from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from maatwerk.accounts import oidc
from maatwerk.accounts.views import LoginView
from maatwerk.core import views as core_views
from maatwerk.signals import views as signals_views
from maatwerk.workspace import views as workspace_views

admin.site.site_header = "Open Maatwerk – beheer"

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("ping/", core_views.ping, name="ping"),
    path("inloggen/", LoginView.as_view(), name="login"),
    # Through the organisation's OpenID Connect provider, when configured (docs/oidc.md).
    path("inloggen/organisatie/", oidc.LoginStartView.as_view(), name="oidc_login"),
    path("inloggen/organisatie/terug/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("maatwerk.accounts.urls")),
    path("casussen/", include("maatwerk.cases.urls")),
    path("audit/", include("maatwerk.audit.urls")),
    path("privacy/", include("maatwerk.privacy.urls")),
    path("kosten/", include("maatwerk.costs.urls")),
    path("plannen/", include("maatwerk.plans.urls")),
    path("besluiten/", include("maatwerk.decisions.urls")),
    path("samenwerking/", include("maatwerk.cooperation.urls")),
    path("vervolg/", include("maatwerk.followup.urls")),
    # Retired: the decisions inbox lists what waits for a decider.
    path(
        "plannen/te-besluiten/",
        RedirectView.as_view(pattern_name="decisions:inbox", permanent=True),
    ),
    # New rules from the field moved from the regelbank to signals; old links keep working.
    path(
        "regelbank/nieuwe-regels/",
        RedirectView.as_view(pattern_name="signals:new_rules", permanent=True),
    ),
    path("regelbank/", include("maatwerk.legal.urls")),
    path("signalen/", include("maatwerk.signals.urls")),
    path("bibliotheek/", include("maatwerk.library.urls")),
    path("vroegsignalen/", include("maatwerk.partners.urls")),
    # The public, read-only page of an organisation's signals (no login; issue 14, point 5).
    path("openbaar/<int:pk>/", signals_views.public_page, name="public_signals"),
    path("api/v1/", include("maatwerk.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

handler400 = "maatwerk.core.views.bad_request"
handler403 = "maatwerk.core.views.permission_denied"
handler404 = "maatwerk.core.views.page_not_found"
handler500 = "maatwerk.core.views.server_error"
