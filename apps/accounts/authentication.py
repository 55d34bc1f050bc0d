from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication


class TenantTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <token>`; the tenant middleware has already resolved it."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        raw = request._request
        if getattr(raw, "token_error", None):
            raise exceptions.AuthenticationFailed(raw.token_error)
        user = getattr(raw, "token_user", None)
        if user is None:
            return None
        return user, raw.api_token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class TenantTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.accounts.authentication.TenantTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, from POST /api/v1/auth/token/",
        }
