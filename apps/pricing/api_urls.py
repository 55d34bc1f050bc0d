"""API routes of this app, included under /api/v1/ by config/api.py."""

from rest_framework.routers import SimpleRouter

from .api import AssumptionSetViewSet, PricingTierViewSet

router = SimpleRouter()
router.register("pricing-tiers", PricingTierViewSet, basename="pricing-tier")
router.register("assumption-sets", AssumptionSetViewSet, basename="assumption-set")

urlpatterns = [*router.urls]
