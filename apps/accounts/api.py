from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.tenancy.context import tenant_context
from apps.tenancy.selectors import user_organizations

from .services import api_token_create
from .throttling import client_ip, login_failed, login_is_blocked, login_succeeded


class TokenThrottle(AnonRateThrottle):
    scope = "auth_token"


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    organization = serializers.IntegerField(
        required=False, help_text="Organisation id; defaults to the user's first organisation."
    )
    name = serializers.CharField(required=False, max_length=100, default="API token")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    organization = serializers.IntegerField()
    role = serializers.CharField()


class TokenCreateApi(APIView):
    """Exchange e-mail and password for an API token bound to one organisation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ip = client_ip(request)
        if login_is_blocked(email=data["email"], ip=ip):
            return Response(
                {"detail": "Too many failed sign-ins; try again later."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request._request, email=data["email"], password=data["password"])
        if user is None:
            login_failed(email=data["email"], ip=ip)
            return Response(
                {"non_field_errors": ["E-mail or password is incorrect."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        login_succeeded(email=data["email"], ip=ip)
        choices = user_organizations(user_id=user.id)
        wanted = data.get("organization")
        chosen = next((c for c in choices if wanted is None or c.id == wanted), None)
        if chosen is None:
            return Response(
                {"organization": ["You are not a member of this organisation."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        with tenant_context(chosen.id):
            _, token = api_token_create(user=user, name=data["name"])
        return Response(
            {"token": token, "organization": chosen.id, "role": chosen.role},
            status=status.HTTP_201_CREATED,
        )
