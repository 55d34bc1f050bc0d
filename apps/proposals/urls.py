from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list_view, name="list"),
    path("new/", views.proposal_create_view, name="create"),
    path("branding/", views.branding_edit, name="branding"),
    path("branding/logo/", views.branding_logo, name="branding_logo"),
    path("<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("<int:proposal_id>/preview/", views.proposal_preview, name="preview"),
    path("<int:proposal_id>/logo/", views.proposal_logo, name="logo"),
    path("<int:proposal_id>/edit/", views.proposal_edit, name="edit"),
    path("<int:proposal_id>/revise/", views.proposal_revise_view, name="revise"),
    path("<int:proposal_id>/send/", views.proposal_send_view, name="send"),
    path("<int:proposal_id>/revoke/", views.proposal_revoke_view, name="revoke"),
    path("<int:proposal_id>/pdf/", views.proposal_pdf_download, name="pdf"),
    path("<int:proposal_id>/pdf/render/", views.proposal_render_view, name="render"),
    path("<int:proposal_id>/certificate/", views.proposal_certificate, name="certificate"),
    path("<int:proposal_id>/links/", views.share_link_create_view, name="link_create"),
    path(
        "<int:proposal_id>/links/<int:share_link_id>/revoke/",
        views.share_link_revoke_view,
        name="link_revoke",
    ),
]
