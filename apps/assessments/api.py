"""`/api/v1/assessments/` and `/api/v1/custom-questions/`.

Writes through the API are all-or-nothing: one invalid answer refuses the request with a 400
that names it (`{"answers": {"company": {"users": ["Must be at least 0."]}}}`). The browser's
autosave is the lenient path (it keeps valid fields and the raw invalid ones).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.clients.selectors import client_get
from apps.core.api import found_or_404, int_or_none
from apps.core.errors import ApplicationError
from apps.tenancy.permissions import IsAdminForWrites

from . import schema
from .models import Assessment, AssessmentStatus, AssessmentVersion, CustomQuestion, QuestionKind
from .selectors import (
    assessment_get,
    assessment_list,
    assessment_version_list,
    custom_question_get,
    custom_question_list,
)
from .services import (
    assessment_create,
    assessment_delete,
    assessment_mark_complete,
    assessment_reopen,
    assessment_update,
    assessment_version_snapshot,
    custom_question_archive,
    custom_question_create,
    custom_question_update,
)


class AssessmentSerializer(serializers.ModelSerializer):
    current_version_number = serializers.SerializerMethodField()
    missing_for_analysis = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    derived_counts = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "title",
            "assessed_on",
            "status",
            "answers",
            "draft_values",
            "current_version",
            "current_version_number",
            "missing_for_analysis",
            "warnings",
            "derived_counts",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_current_version_number(self, obj: Assessment) -> int | None:
        return obj.current_version.number if obj.current_version_id else None

    def get_missing_for_analysis(self, obj: Assessment) -> list[str]:
        return schema.missing_for_analysis(obj.answers)

    def get_warnings(self, obj: Assessment) -> dict[str, list[str]]:
        return schema.warnings(obj.answers)

    def get_derived_counts(self, obj: Assessment) -> dict[str, int | None]:
        return schema.derived_counts(obj.answers)


class AssessmentInputSerializer(serializers.Serializer):
    """Types of the envelope; the answers are checked against apps/assessments/schema.py."""

    client = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False)
    answers = serializers.JSONField(
        required=False,
        help_text='By section: {"company": {"users": 25}, "custom": {"<question id>": "…"}}. '
        "null clears an answer.",
    )


class AssessmentVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentVersion
        fields = [
            "id",
            "assessment",
            "number",
            "answers",
            "custom_questions",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("client", OpenApiTypes.INT),
        OpenApiParameter("status", OpenApiTypes.STR, enum=AssessmentStatus.values),
    ]
)
class AssessmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Assessments of clients; answers by section as in the schema."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    def get_queryset(self):
        client = self.request.query_params.get("client", "")
        state = self.request.query_params.get("status") or None
        return assessment_list(client_id=int_or_none(client), status=state)

    def get_object(self) -> Assessment:
        return found_or_404(lambda i: assessment_get(assessment_id=i), self.kwargs.get("pk"))

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(AssessmentSerializer(self.get_object()).data)

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request) -> Response:
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client_id = data.pop("client", None)
        client = client_get(client_id=client_id) if client_id is not None else None
        if client is None:
            raise ApplicationError("Choose a client.", extra={"client": ["Choose a client."]})
        assessment = assessment_create(client=client, user=request.user, **data)
        output = AssessmentSerializer(assessment_get(assessment_id=assessment.id)).data
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        serializer = AssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "client" in data and data.pop("client") != assessment.client_id:
            raise ApplicationError(
                "An assessment stays with its client.", extra={"client": ["Cannot be changed."]}
            )
        assessment_update(assessment=assessment, user=request.user, **data)
        return Response(AssessmentSerializer(assessment_get(assessment_id=assessment.id)).data)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        # Answers are merged by section either way; PUT and PATCH behave alike.
        return self.partial_update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        assessment_delete(assessment=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={201: AssessmentVersionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark complete (400 lists what is missing) and freeze a version."""
        version = assessment_mark_complete(assessment=self.get_object(), user=request.user)
        return Response(AssessmentVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        assessment = assessment_reopen(assessment=self.get_object(), user=request.user)
        return Response(AssessmentSerializer(assessment_get(assessment_id=assessment.id)).data)

    @extend_schema(request=None, responses={200: AssessmentVersionSerializer})
    @action(detail=True, methods=["post"])
    def snapshot(self, request: Request, pk: str | None = None) -> Response:
        """Freeze the current answers (the latest version again when nothing changed)."""
        version = assessment_version_snapshot(assessment=self.get_object(), user=request.user)
        return Response(AssessmentVersionSerializer(version).data)

    @extend_schema(responses=AssessmentVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        versions = assessment_version_list(assessment_id=assessment.id)
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(AssessmentVersionSerializer(page, many=True).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="schema")
    def questions_schema(self, request: Request) -> Response:
        """The sections and questions (types, ranges, required for the analysis)."""
        return Response(
            [
                {
                    "key": s.key,
                    "title": s.title,
                    "fields": [
                        {
                            "key": f.key,
                            "label": f.label,
                            "type": f.type,
                            "min": f.min,
                            "max": f.max,
                            "required_for_analysis": f.required_for_analysis,
                            "choices": [k for k, _ in f.choices],
                            "help": f.help,
                        }
                        for f in s.fields
                    ],
                }
                for s in schema.SECTIONS
            ]
        )


class CustomQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomQuestion
        fields = [
            "id",
            "label",
            "kind",
            "section",
            "help_text",
            "required",
            "choices",
            "position",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomQuestionInputSerializer(serializers.Serializer):
    label = serializers.CharField(required=False, allow_blank=True)
    # Checked by the service, with the same messages as the admin page.
    kind = serializers.CharField(required=False, help_text=", ".join(QuestionKind.values))
    section = serializers.CharField(required=False, help_text=", ".join(schema.SECTION_KEYS))
    help_text = serializers.CharField(required=False, allow_blank=True)
    required = serializers.BooleanField(required=False)
    choices = serializers.ListField(child=serializers.CharField(), required=False)
    position = serializers.IntegerField(required=False)


class CustomQuestionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The MSP's own questions. Everyone reads; admins write. DELETE archives."""

    serializer_class = CustomQuestionSerializer
    permission_classes = [IsAdminForWrites]
    queryset = CustomQuestion.objects.none()

    def get_queryset(self):
        archived = self.request.query_params.get("archived", "").lower() in ("1", "true")
        return custom_question_list(include_archived=archived)

    def get_object(self) -> CustomQuestion:
        return found_or_404(lambda i: custom_question_get(question_id=i), self.kwargs.get("pk"))

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(CustomQuestionSerializer(self.get_object()).data)

    @extend_schema(request=CustomQuestionInputSerializer, responses={201: CustomQuestionSerializer})
    def create(self, request: Request) -> Response:
        serializer = CustomQuestionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = custom_question_create(user=request.user, **serializer.validated_data)
        return Response(CustomQuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CustomQuestionInputSerializer, responses=CustomQuestionSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        question = self.get_object()
        serializer = CustomQuestionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = custom_question_update(
            question=question, user=request.user, **serializer.validated_data
        )
        return Response(CustomQuestionSerializer(question).data)

    @extend_schema(request=CustomQuestionInputSerializer, responses=CustomQuestionSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self.partial_update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        custom_question_archive(question=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
