from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.ClientListView.as_view(), name="list"),
    path("new/", views.ClientCreateView.as_view(), name="create"),
    path("import/", views.ClientImportView.as_view(), name="import"),
    path("<int:client_id>/", views.ClientDetailView.as_view(), name="detail"),
    path("<int:client_id>/edit/", views.ClientEditView.as_view(), name="edit"),
    path("<int:client_id>/delete/", views.ClientDeleteView.as_view(), name="delete"),
    path("<int:client_id>/restore/", views.ClientRestoreView.as_view(), name="restore"),
    path(
        "<int:client_id>/contacts/new/",
        views.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path(
        "<int:client_id>/contacts/<int:contact_id>/edit/",
        views.ContactEditView.as_view(),
        name="contact_edit",
    ),
    path(
        "<int:client_id>/contacts/<int:contact_id>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
]
