from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("", views.PricingTierListView.as_view(), name="list"),
    path("tiers/new/", views.PricingTierCreateView.as_view(), name="tier_create"),
    path("tiers/<int:pricing_tier_id>/", views.PricingTierEditView.as_view(), name="tier_edit"),
    path(
        "tiers/<int:pricing_tier_id>/archive/",
        views.PricingTierArchiveView.as_view(),
        name="tier_archive",
    ),
    path(
        "tiers/<int:pricing_tier_id>/restore/",
        views.PricingTierRestoreView.as_view(),
        name="tier_restore",
    ),
    path("assumptions/", views.AssumptionSetView.as_view(), name="assumptions"),
    path(
        "assumptions/versions/<int:assumption_set_version_id>/",
        views.AssumptionSetVersionView.as_view(),
        name="assumption_version",
    ),
]
