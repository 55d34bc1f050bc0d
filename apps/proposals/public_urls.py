"""Public routes for prospects (/p/<token>/...), no account needed."""

from django.urls import path

from . import public_views as views

app_name = "public"

urlpatterns = [
    path("<str:token>/", views.proposal_page, name="proposal"),
    path("<str:token>/pin/", views.pin_unlock, name="pin"),
    path("<str:token>/pdf/", views.proposal_pdf, name="pdf"),
    path("<str:token>/logo/", views.proposal_logo, name="logo"),
    path("<str:token>/accept/", views.proposal_accept, name="accept"),
    path("<str:token>/decline/", views.proposal_decline, name="decline"),
    path("<str:token>/certificate/", views.proposal_certificate, name="certificate"),
    path("<str:token>/api/", views.api_proposal, name="api"),
    path("<str:token>/api/accept/", views.api_accept, name="api_accept"),
    path("<str:token>/api/decline/", views.api_decline, name="api_decline"),
]
