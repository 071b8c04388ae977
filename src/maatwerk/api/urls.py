from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from maatwerk.accounts.api import MeView
from maatwerk.cases.api import CaseViewSet
from maatwerk.costs.api import CalculationView, CostItemListView
from maatwerk.legal.api import BlockingRuleViewSet, ProvisionViewSet
from maatwerk.plans.api import PlanViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("blocking-rules", BlockingRuleViewSet, basename="blocking-rule")
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("cost-items/", CostItemListView.as_view(), name="api-cost-items"),
    path("calculations/", CalculationView.as_view(), name="api-calculations"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
