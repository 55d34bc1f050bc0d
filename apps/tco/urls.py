from django.urls import path

from . import views

app_name = "tco"

urlpatterns = [
    path("", views.analysis_list_view, name="analysis_list"),
    path("new/", views.analysis_new, name="analysis_new"),
    path("<int:analysis_id>/", views.analysis_detail, name="analysis_detail"),
    path("<int:analysis_id>/compare/", views.analysis_compare, name="analysis_compare"),
]
