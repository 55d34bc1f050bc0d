"""Opens the request's tenant transaction once the signed-in member is known.

The tenant is never taken from the URL. It comes from the API token (which names one
membership) or from the organisation kept in the session, and in both cases it is confirmed by
finding the user's membership *inside* that tenant's context, where row-level security hides
every other tenant's rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from .context import tenant_context
from .selectors import membership_for_user, user_organizations

SESSION_KEY = "organization_id"


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.token_user = None  # type: ignore[attr-defined]
        request.api_token = None  # type: ignore[attr-defined]
        request.token_error = None  # type: ignore[attr-defined]

        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and credentials.strip():
            return self._with_token(request, credentials.strip())

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            organization_id = request.session.get(SESSION_KEY)
            if organization_id is None:
                choices = user_organizations(user_id=user.id)
                if choices:
                    organization_id = choices[0].id
            if organization_id is not None:
                response = self._as_member(request, int(organization_id), user.id)
                if response is not None:
                    return response
                # The user is no longer a member of the remembered organisation.
                request.session.pop(SESSION_KEY, None)
        return self.get_response(request)

    def _with_token(self, request: HttpRequest, credentials: str) -> HttpResponse:
        from apps.accounts.selectors import api_token_resolve
        from apps.tenancy.tokens import token_parse

        parsed = token_parse(credentials)
        if parsed is None:
            request.token_error = "Invalid token."  # type: ignore[attr-defined]
            return self.get_response(request)
        with tenant_context(parsed.organization_id):
            api_token = api_token_resolve(secret_hash=parsed.secret_hash)
            membership = (
                membership_for_user(user_id=api_token.user_id) if api_token is not None else None
            )
            if api_token is not None and membership is not None and api_token.user.is_active:
                request.token_user = api_token.user  # type: ignore[attr-defined]
                request.api_token = api_token  # type: ignore[attr-defined]
                return self._run(request, membership)
        request.token_error = "Invalid token."  # type: ignore[attr-defined]
        return self.get_response(request)

    def _as_member(
        self, request: HttpRequest, organization_id: int, user_id: int
    ) -> HttpResponse | None:
        with tenant_context(organization_id):
            membership = membership_for_user(user_id=user_id)
            if membership is None:
                return None
            request.session[SESSION_KEY] = organization_id
            return self._run(request, membership)

    def _run(self, request: HttpRequest, membership) -> HttpResponse:
        request.membership = membership  # type: ignore[attr-defined]
        request.organization = membership.organization  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code >= 500:
            transaction.set_rollback(True)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Like ATOMIC_REQUESTS: a view that raised leaves nothing half-written behind.
        if getattr(request, "membership", None) is not None:
            transaction.set_rollback(True)
