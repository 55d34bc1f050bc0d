"""API routes of this app, included under /api/v1/ by config/api.py."""

from rest_framework.routers import SimpleRouter

from .api import ClientViewSet, ContactViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = [*router.urls]
