"""API routes of this app, included under /api/v1/ by config/api.py."""

from rest_framework.routers import SimpleRouter

from .api import AnalysisViewSet

router = SimpleRouter()
router.register("analyses", AnalysisViewSet, basename="analysis")

urlpatterns = [*router.urls]
