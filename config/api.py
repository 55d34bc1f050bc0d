"""The `/api/v1/` router. Each app registers its resources here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import TokenCreateApi
from apps.jobs.api import JobViewSet

router = DefaultRouter()
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [
    path("auth/token/", TokenCreateApi.as_view(), name="auth-token"),
    path("", include(router.urls)),
    path("", include("apps.clients.api_urls")),
    path("", include("apps.assessments.api_urls")),
    path("", include("apps.pricing.api_urls")),
    path("", include("apps.tco.api_urls")),
    path("", include("apps.proposals.api_urls")),
]
