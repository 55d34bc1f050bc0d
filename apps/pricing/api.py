"""`/api/v1/pricing-tiers/` and `/api/v1/assumption-sets/`: everyone reads, admins write.

Changing a tier or an assumption set writes a new version; the old one stays, unchanged.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import found_or_404
from apps.tenancy.permissions import IsAdminForWrites

from .models import AssumptionSet, AssumptionSetVersion, PricingTier, PricingTierVersion
from .selectors import (
    assumption_set_get,
    assumption_set_list,
    assumption_set_version_list,
    pricing_tier_get,
    pricing_tier_list,
    pricing_tier_version_list,
)
from .services import (
    assumption_set_update,
    pricing_tier_archive,
    pricing_tier_create,
    pricing_tier_restore,
    pricing_tier_update,
)
from .validation import TIER_NUMERIC_FIELDS, TIER_RULES


class PricingTierVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PricingTierVersion
        fields = [
            "id",
            "tier",
            "number",
            "name",
            "description",
            "included_services",
            *TIER_NUMERIC_FIELDS,
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class PricingTierSerializer(serializers.ModelSerializer):
    current_version = PricingTierVersionSerializer(read_only=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = PricingTier
        fields = [
            "id",
            "name",
            "position",
            "is_active",
            "archived_at",
            "currency",
            "current_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_currency(self, obj: PricingTier) -> str:
        request = self.context.get("request")
        organization = getattr(getattr(request, "_request", request), "organization", None)
        return getattr(organization, "currency", "USD")


def _tier_input_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {
        "name": serializers.CharField(required=False, allow_blank=True),
        "position": serializers.IntegerField(required=False, min_value=0, max_value=1000),
        "description": serializers.CharField(required=False, allow_blank=True),
        "included_services": serializers.ListField(
            child=serializers.CharField(allow_blank=True), required=False
        ),
    }
    for name in TIER_NUMERIC_FIELDS:
        rule = TIER_RULES[name]
        if rule.integer:
            fields[name] = serializers.IntegerField(required=False)
        else:
            # Types here; ranges and decimal places in the service (same rules as the form).
            fields[name] = serializers.DecimalField(
                max_digits=30,
                decimal_places=10,
                required=False,
                allow_null=rule.nullable,
                coerce_to_string=False,
                help_text=rule.label,
            )
    return fields


PricingTierInputSerializer = type(
    "PricingTierInputSerializer", (serializers.Serializer,), _tier_input_fields()
)


@extend_schema(parameters=[OpenApiParameter("archived", OpenApiTypes.BOOL)])
class PricingTierViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The price book. DELETE archives a tier; its versions stay for proposals that use them."""

    serializer_class = PricingTierSerializer
    permission_classes = [IsAdminForWrites]
    queryset = PricingTier.objects.none()

    def get_queryset(self):
        archived = self.request.query_params.get("archived", "").lower() in ("1", "true")
        queryset = pricing_tier_list(include_archived=archived)
        return queryset.filter(archived_at__isnull=False) if archived else queryset

    def get_object(self) -> PricingTier:
        return found_or_404(lambda i: pricing_tier_get(tier_id=i), self.kwargs.get("pk"))

    def _output(self, tier_id: int) -> dict:
        tier = pricing_tier_get(tier_id=tier_id)
        return PricingTierSerializer(tier, context=self.get_serializer_context()).data

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._output(self.get_object().id))

    @extend_schema(request=PricingTierInputSerializer, responses={201: PricingTierSerializer})
    def create(self, request: Request) -> Response:
        serializer = PricingTierInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        tier = pricing_tier_create(user=request.user, name=data.pop("name", ""), **data)
        return Response(self._output(tier.id), status=status.HTTP_201_CREATED)

    @extend_schema(request=PricingTierInputSerializer, responses=PricingTierSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        tier = self.get_object()
        serializer = PricingTierInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pricing_tier_update(tier=tier, user=request.user, **serializer.validated_data)
        return Response(self._output(tier.id))

    @extend_schema(request=PricingTierInputSerializer, responses=PricingTierSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        # Fields not given keep their current value: a tier is always complete.
        return self.partial_update(request, pk)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        pricing_tier_archive(tier=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=PricingTierSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        tier = pricing_tier_restore(tier=self.get_object(), user=request.user)
        return Response(self._output(tier.id))

    @extend_schema(responses=PricingTierVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        tier = self.get_object()
        page = self.paginate_queryset(pricing_tier_version_list(tier_id=tier.id))
        return self.get_paginated_response(PricingTierVersionSerializer(page, many=True).data)


class AssumptionSetVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssumptionSetVersion
        fields = ["id", "assumption_set", "number", "values", "note", "created_by", "created_at"]
        read_only_fields = fields


class AssumptionSetSerializer(serializers.ModelSerializer):
    current_version = AssumptionSetVersionSerializer(read_only=True)

    class Meta:
        model = AssumptionSet
        fields = ["id", "name", "is_default", "current_version", "created_at", "updated_at"]
        read_only_fields = fields


class AssumptionSetInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.DictField(),
        help_text='{"tickets.per_user_per_month": {"value": 0.35, "source": "…"}}: '
        "only the inputs that change.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AssumptionSetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisation's assumption sets (the default one is seeded on sign-up)."""

    serializer_class = AssumptionSetSerializer
    permission_classes = [IsAdminForWrites]
    queryset = AssumptionSet.objects.none()

    def get_queryset(self):
        return assumption_set_list()

    def get_object(self) -> AssumptionSet:
        return found_or_404(
            lambda i: assumption_set_get(assumption_set_id=i), self.kwargs.get("pk")
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(AssumptionSetSerializer(self.get_object()).data)

    @extend_schema(request=AssumptionSetInputSerializer, responses=AssumptionSetSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        assumption_set = self.get_object()
        serializer = AssumptionSetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assumption_set_update(
            assumption_set=assumption_set,
            values=data["values"],
            note=data.get("note", ""),
            user=request.user,
        )
        return Response(
            AssumptionSetSerializer(assumption_set_get(assumption_set_id=assumption_set.id)).data
        )

    @extend_schema(request=AssumptionSetInputSerializer, responses=AssumptionSetSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(responses=AssumptionSetVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        assumption_set = self.get_object()
        page = self.paginate_queryset(
            assumption_set_version_list(assumption_set_id=assumption_set.id)
        )
        return self.get_paginated_response(AssumptionSetVersionSerializer(page, many=True).data)
