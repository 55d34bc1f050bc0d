from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="list"),
    path("new/<int:client_id>/", views.AssessmentCreateView.as_view(), name="create"),
    path("questions/", views.CustomQuestionListView.as_view(), name="questions"),
    path(
        "questions/<int:custom_question_id>/edit/",
        views.CustomQuestionEditView.as_view(),
        name="question_edit",
    ),
    path(
        "questions/<int:custom_question_id>/archive/",
        views.CustomQuestionArchiveView.as_view(),
        name="question_archive",
    ),
    path("<int:assessment_id>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("<int:assessment_id>/meta/", views.AssessmentMetaView.as_view(), name="meta"),
    path(
        "<int:assessment_id>/readiness/",
        views.AssessmentReadinessView.as_view(),
        name="readiness",
    ),
    path(
        "<int:assessment_id>/sections/<str:section>/",
        views.AssessmentSectionView.as_view(),
        name="section",
    ),
    path("<int:assessment_id>/complete/", views.AssessmentCompleteView.as_view(), name="complete"),
    path("<int:assessment_id>/reopen/", views.AssessmentReopenView.as_view(), name="reopen"),
    path(
        "<int:assessment_id>/versions/<int:assessment_version_id>/",
        views.AssessmentVersionView.as_view(),
        name="version",
    ),
]
