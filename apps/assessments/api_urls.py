"""API routes of this app, included under /api/v1/ by config/api.py."""

from rest_framework.routers import SimpleRouter

from .api import AssessmentViewSet, CustomQuestionViewSet

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("custom-questions", CustomQuestionViewSet, basename="custom-question")

urlpatterns = [*router.urls]
