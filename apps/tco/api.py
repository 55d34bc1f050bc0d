"""`/api/v1/analyses/`: request analyses (202 + jobs), list them, read one with its result."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import int_or_none

from .models import Analysis, AnalysisStatus
from .selectors import analysis_get, analysis_list
from .services import analysis_request


class AnalysisCreateSerializer(serializers.Serializer):
    """What a salesperson asks for: an assessment, tiers (default: every active tier),
    optional overrides {path: {"value", "reason"}} and optional trials."""

    assessment = serializers.IntegerField(min_value=1)
    tiers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, allow_empty=True
    )
    tier_versions = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, allow_empty=True
    )
    overrides = serializers.DictField(required=False, allow_empty=True)
    trials = serializers.IntegerField(required=False, min_value=100, max_value=1_000_000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("tiers") and attrs.get("tier_versions"):
            raise serializers.ValidationError(
                {"tier_versions": ["Give tiers or tier_versions, not both."]}
            )
        return attrs


class JobSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    message = serializers.CharField()
    error = serializers.CharField()
    deliveries = serializers.IntegerField()


class AnalysisSerializer(serializers.ModelSerializer):
    """An analysis without its documents (lists): ids, status, job progress, headline."""

    assessment = serializers.IntegerField(source="assessment_version.assessment_id")
    tier = serializers.IntegerField(source="pricing_tier_version.tier_id")
    tier_name = serializers.CharField(source="pricing_tier_version.name")
    client_name = serializers.CharField(source="client.name")
    job = JobSummarySerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Analysis
        fields = [
            "id",
            "group",
            "status",
            "client",
            "client_name",
            "assessment",
            "assessment_version",
            "tier",
            "tier_name",
            "pricing_tier_version",
            "assumption_set_version",
            "overrides",
            "trials",
            "seed",
            "engine_version",
            "summary",
            "error",
            "job",
            "created_at",
            "finished_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj: Analysis) -> str:
        return reverse("tco:analysis_detail", kwargs={"analysis_id": obj.id})


class AnalysisDetailSerializer(AnalysisSerializer):
    """One analysis with its input document, the source of every input and the result."""

    class Meta(AnalysisSerializer.Meta):
        fields = [*AnalysisSerializer.Meta.fields, "inputs", "input_sources", "result"]
        read_only_fields = fields


class AnalysisRequestedSerializer(serializers.Serializer):
    """The 202 answer: the analyses started (one per tier) and their jobs."""

    group = serializers.UUIDField()
    analyses = AnalysisSerializer(many=True)
    jobs = serializers.ListField(child=serializers.IntegerField())
    compare_url = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("client", OpenApiTypes.INT, description="Only this client's"),
            OpenApiParameter("assessment", OpenApiTypes.INT, description="Only this assessment's"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=AnalysisStatus.values),
        ]
    ),
    retrieve=extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=AnalysisDetailSerializer,
    ),
    create=extend_schema(
        request=AnalysisCreateSerializer, responses={202: AnalysisRequestedSerializer}
    ),
)
class AnalysisViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """TCO analyses. POST starts one per tier (a Celery job each) and answers 202 at once;
    poll the analysis (or its job) until `status` is `succeeded`, then read `result`."""

    serializer_class = AnalysisSerializer
    lookup_field = "pk"

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return AnalysisDetailSerializer
        if self.action == "create":
            return AnalysisCreateSerializer
        return AnalysisSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters: dict[str, Any] = {}
        for name in ("client", "assessment"):
            value = params.get(name)
            if value:
                if not value.isdigit():
                    raise serializers.ValidationError({name: ["must be an id"]})
                filters[f"{name}_id"] = int(value)
        state = params.get("status")
        if state:
            if state not in AnalysisStatus.values:
                raise serializers.ValidationError(
                    {"status": [f"must be one of {', '.join(AnalysisStatus.values)}"]}
                )
            filters["status"] = state
        return analysis_list(**filters)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        analysis_id = int_or_none(kwargs.get("pk"))
        analysis = analysis_get(analysis_id) if analysis_id is not None else None
        if analysis is None:
            raise NotFound("No such analysis.")
        return Response(AnalysisDetailSerializer(analysis).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from apps.assessments.selectors import assessment_get
        from apps.pricing.selectors import pricing_tier_get, pricing_tier_version_get

        data = AnalysisCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        assessment = assessment_get(assessment_id=values["assessment"])
        if assessment is None:
            raise NotFound("No such assessment.")
        tiers = []
        for tier_id in values.get("tiers") or []:
            tier = pricing_tier_get(tier_id=tier_id)
            if tier is None:
                raise NotFound(f"No such pricing tier: {tier_id}.")
            tiers.append(tier)
        versions = []
        for version_id in values.get("tier_versions") or []:
            version = pricing_tier_version_get(version_id)
            if version is None:
                raise NotFound(f"No such pricing tier version: {version_id}.")
            versions.append(version)
        analyses = analysis_request(
            assessment=assessment,
            user=request.user,
            tiers=tiers or None,
            tier_versions=versions or None,
            overrides=values.get("overrides"),
            trials=values.get("trials"),
        )
        fresh = [analysis_get(a.id) for a in analyses]
        body = {
            "group": str(analyses[0].group),
            "analyses": AnalysisSerializer(fresh, many=True).data,
            "jobs": [a.job_id for a in analyses],
            "compare_url": reverse("tco:analysis_compare", kwargs={"analysis_id": analyses[0].id}),
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)
