from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from maatwerk.accounts.api import MeView
from maatwerk.cases.api import CaseViewSet
from maatwerk.cooperation.api import CooperationRequestViewSet, OutsideOrganisationViewSet
from maatwerk.costs.api import CalculationView, CostItemListView
from maatwerk.decisions import api as decisions_api
from maatwerk.followup.api import FollowUpViewSet
from maatwerk.legal.api import BlockingRuleViewSet, ProvisionViewSet
from maatwerk.library.api import ExampleViewSet
from maatwerk.partners.api import SignalCollectionView, SignalDetailView
from maatwerk.plans.api import PlanViewSet
from maatwerk.signals.api import SignalReportView, SignalViewSet

from .views import ClientView, not_found

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("blocking-rules", BlockingRuleViewSet, basename="blocking-rule")
router.register("plans", PlanViewSet, basename="plan")
router.register("cooperation-requests", CooperationRequestViewSet, basename="cooperation-request")
router.register("followups", FollowUpViewSet, basename="followup")
router.register("signals", SignalViewSet, basename="signal")
router.register("voorbeelden", ExampleViewSet, basename="example")
router.register(
    "outside-organisations", OutsideOrganisationViewSet, basename="outside-organisation"
)

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("client/", ClientView.as_view(), name="api-client"),
    path("cost-items/", CostItemListView.as_view(), name="api-cost-items"),
    path("calculations/", CalculationView.as_view(), name="api-calculations"),
    # Before the router: submitting routes the plan, which the decisions app does.
    path("plans/<int:pk>/submit/", decisions_api.SubmitView.as_view(), name="plan-submit"),
    path("decisions/", decisions_api.InboxView.as_view(), name="decision-inbox"),
    path("decisions/<int:pk>/", decisions_api.DecideView.as_view(), name="decision-decide"),
    path(
        "decisions/<int:pk>/consultations/",
        decisions_api.ConsultView.as_view(),
        name="decision-consult",
    ),
    path("plans/<int:pk>/withdraw/", decisions_api.WithdrawView.as_view(), name="plan-withdraw"),
    path("budgets/", decisions_api.BudgetListView.as_view(), name="budget-list"),
    path("budgets/<int:pk>/ledger/", decisions_api.LedgerView.as_view(), name="budget-ledger"),
    # Partner signals (issue 15): the partner clients' endpoints, and nobody else's.
    # Without a trailing slash, as the NL API Design Rules (API-48) and the issue have them.
    path("vroegsignalen", SignalCollectionView.as_view(), name="vroegsignaal-list"),
    path(
        "vroegsignalen/<uuid:public_id>",
        SignalDetailView.as_view(),
        name="vroegsignaal-detail",
    ),
    path("signals/report/", SignalReportView.as_view(), name="api-signal-report"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: its script is a file, not inline; Swagger UI comes from the npm package
    # swagger-ui-dist in build/vendor (the template names it), not a CDN, so the CSP allows it.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, not the HTML page of the site.
    re_path(r"", not_found),
]
