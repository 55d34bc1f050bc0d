from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("branding/", views.branding_edit, name="branding"),
    path("branding/logo/", views.branding_logo, name="branding_logo"),
]
