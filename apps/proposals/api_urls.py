"""API routes of this app, included under /api/v1/ by config/api.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import BrandingApi, ProposalViewSet, ShareLinkViewSet

router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("share-links", ShareLinkViewSet, basename="share-link")

urlpatterns = [path("branding/", BrandingApi.as_view(), name="branding"), *router.urls]
